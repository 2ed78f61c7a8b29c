"""Per-document log lines: in Dagster's event log for small corpora, in the process log for large ones. Stages log
the documents they computed in this build and count the ones they took unchanged from their cache (what those
documents gave is in the published tables: parse_warnings, quarantine), so a one-document rebuild logs one document.

Every line written with `context.log` becomes an event stored by the Dagster instance (a database
write each), so thousands of per-document lines would dominate a large build. Above EVENT_LOG_LIMIT
lines they go to the `policy_measures` Python logger (the terminal of `make build`, the run's compute
logs in the UI) and the event log gets a count.
"""

import logging
import sys

EVENT_LOG_LIMIT = 200
MAX_LINE = 1000  # characters of one log line: what came from a raw text is cut there (a 30,000-character "unit name")

_process_log = logging.getLogger("policy_measures")
if not _process_log.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _process_log.addHandler(_handler)
    _process_log.setLevel(logging.INFO)
    _process_log.propagate = False


def log_lines(context, lines: list[tuple[str, str]], what: str, unchanged: int = 0) -> None:
    """Write (level, message) lines, where they are cheap for the corpus's size, and a count of the `unchanged`
    documents taken from the cache."""
    if unchanged:
        context.log.info(f"{unchanged} document(s) unchanged since an earlier build: taken from the cache")
    lines = [(level, shortened(message)) for level, message in lines]
    if len(lines) <= EVENT_LOG_LIMIT:
        for level, message in lines:
            getattr(context.log, level)(message)
        return
    for level, message in lines:
        getattr(_process_log, level)(message)
    warnings = sum(1 for level, _ in lines if level == "warning")
    context.log.info(f"{len(lines)} {what} line(s), {warnings} warning(s): written to the process log (stderr)")


def shortened(message: str, limit: int = MAX_LINE) -> str:
    """`message` cut to `limit` characters, saying how much was left out."""
    return message if len(message) <= limit else f"{message[:limit]}… ({len(message) - limit} more characters)"


def log_cache_problems(context, *caches) -> None:
    """A warning for each damaged cache file the stage's caches dropped (and computed again): each names the file."""
    for cache in caches:
        for problem in cache.problems:
            context.log.warning(f"damaged cache: {problem}")
