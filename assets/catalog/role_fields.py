"""The names of responsibility fields (`牵头单位：`, `配合单位：`, `完成时限：` …) and what each says, from
data/responsibility_fields.csv: one vocabulary for the normalizer, the annotation finder and the reader."""

import csv
import re

from assets.catalog import DATA_DIR


def _load() -> dict[str, str]:
    with open(DATA_DIR / "responsibility_fields.csv", encoding="utf-8", newline="") as fh:
        return {row["field"]: row["role"] for row in csv.DictReader(fh)}


ROLE_OF_FIELD: dict[str, str] = _load()  # field name → lead / cooperating / responsible / deadline / supervisor
_NAMES = "|".join(map(re.escape, sorted(ROLE_OF_FIELD, key=len, reverse=True)))
FIELD = re.compile(rf"(?P<field>{_NAMES})\s*[:：]")  # a field name and its colon, anywhere
FIELD_LINE = re.compile(rf"^(?:{_NAMES})\s*[:：]")  # a line that is one field
# Words that make a bracket a responsibility annotation: any field name, or a verb of responsibility.
ROLE_WORDS = re.compile(rf"{_NAMES}|牵头|按职责分工负责|督办")
# What a deadline field (`完成时限：`) or a task table's deadline cell says: a date, a season, `长期`, `持续`.
DEADLINE = re.compile(
    r"^(?:(?:\d{4}|[二〇一]{4})年|\d{1,2}月|[一二三四]季度|年底|年内|长期|持续|每年|常态)"
    r".{0,16}(?:完成|前|底|内|坚持|推进|开展|落实)?$"
)
