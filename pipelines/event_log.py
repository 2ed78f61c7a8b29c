"""The local instance's event log: Dagster's one-file SQLite event log, with one database engine per process.

Dagster's `ConsolidatedSqliteEventLogStorage` builds a new SQLAlchemy engine and opens a new connection for every
statement (NullPool), and an asset check's event takes three statements: a new connection each is an order of
magnitude slower than a kept one, and a build stores hundreds of events (most of them for the asset checks). This class keeps one
engine per process, its connections in SQLAlchemy's pool, and commits in SQLite's WAL mode with `synchronous=NORMAL`
(a commit is not flushed to disk one by one: a power cut may lose the last events, never corrupt the file). The
database, its schema and everything that reads it are Dagster's own; a deployment uses PostgreSQL instead
(`pipelines/deploy/dagster.yaml`).
"""

import os
from contextlib import contextmanager

import sqlalchemy as db
from dagster._core.storage.event_log import ConsolidatedSqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


class PooledSqliteEventLogStorage(ConsolidatedSqliteEventLogStorage):
    """`ConsolidatedSqliteEventLogStorage` whose connections are pooled, one engine per process (a forked process
    makes its own: a SQLite connection must not cross a fork)."""

    def __init__(self, base_dir, inst_data=None):
        self._engines: dict[int, db.engine.Engine] = {}
        super().__init__(base_dir, inst_data=inst_data)

    def _engine(self) -> db.engine.Engine:
        engine = self._engines.get(os.getpid())
        if engine is None:
            engine = create_engine(self._conn_string, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            db.event.listen(engine, "connect", _relaxed_sync)
            self._engines[os.getpid()] = engine
        return engine

    @contextmanager
    def _connect(self):
        with self._engine().connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        engine = self._engine()
        with engine.connect() as conn:
            return bool(engine.dialect.has_table(conn, table_name))

    def dispose(self) -> None:
        engine = self._engines.pop(os.getpid(), None)
        if engine is not None:
            engine.dispose()
        super().dispose()


def _relaxed_sync(connection, _record) -> None:
    """Each new SQLite connection commits without a flush per transaction (the WAL journal is checkpointed as usual)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
