"""The names of responsibility fields (`牵头单位：`, `配合单位：`, `完成时限：` …) and what each says, from
data/responsibility_fields.csv: one vocabulary for the normalizer, the annotation finder and the reader."""

import csv
import re
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _load() -> dict[str, str]:
    with open(DATA / "responsibility_fields.csv", encoding="utf-8", newline="") as fh:
        return {row["field"]: row["role"] for row in csv.DictReader(fh)}


ROLE_OF_FIELD: dict[str, str] = _load()  # field name → lead / cooperating / responsible / deadline / supervisor
_NAMES = "|".join(map(re.escape, sorted(ROLE_OF_FIELD, key=len, reverse=True)))
FIELD = re.compile(rf"(?P<field>{_NAMES})\s*[:：]")  # a field name and its colon, anywhere
FIELD_LINE = re.compile(rf"^(?:{_NAMES})\s*[:：]")  # a line that is one field
# Words that make a bracket a responsibility annotation: any field name, or a verb of responsibility.
ROLE_WORDS = re.compile(rf"{_NAMES}|牵头|按职责分工负责|督办")
