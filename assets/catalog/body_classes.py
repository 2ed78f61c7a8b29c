"""What kind of body a unit is (`unit_type`) and what it does across regions (`function`), from data tables."""

import csv
import re
from functools import lru_cache

from assets.catalog import DATA_DIR

LEVEL_CHARS = "省市州区县旗盟"
LOCAL_GOVERNMENT = re.compile(r"人民政府$|街道(?:办事处)?$|乡镇(?:人民政府)?$|街乡$|办事处$")

# (unit_type, pattern) in priority order; the first that matches wins.
UNIT_TYPES = (
    (
        "collective",
        re.compile(
            r"^各|各有关|各相关|相关单位|有关单位|有关部门|各级|^[^、]{0,6}各(?:县|区|市|乡|街|镇|部门|单位|金融|银行)"
            r"|牵头单位$|成员单位$"
        ),
    ),
    ("court_or_procuratorate", re.compile(r"法院|检察院")),
    ("party_organ", re.compile(r"(?:^|[省市州区县旗])(?:党)?委(?!员会$)|党委|纪委|监委|政法委|组织部|宣传部|统战部|编办|巡察办|党校")),
    ("development_zone_committee", re.compile(r"管委会|管理委员会|开发区|园区")),
    ("peoples_government", re.compile(r"(?<!办)人民政府$|(?<![办厅])政府$|街道办事处$|办事处$|街乡$|乡镇$")),
    ("financial_institution_or_regulator", re.compile(r"银行|支行|银保监|证监|保险|信用社|金融机构|征信")),
    ("state_enterprise", re.compile(r"公司$|集团$|供电局$|电网|邮政")),
)


@lru_cache(maxsize=None)
def aliases() -> dict[str, str]:
    """Bare department names as written without a level prefix (`税务局`, `发改委`) → function."""
    with open(DATA_DIR / "unit_aliases.csv", encoding="utf-8", newline="") as fh:
        return {row["alias"]: row["function"] for row in csv.DictReader(fh)}


@lru_cache(maxsize=None)
def functions() -> list[dict]:
    """Function codes with Chinese and English names and keyword patterns, in matching order."""
    with open(DATA_DIR / "unit_functions.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["pattern"] = re.compile(row["keywords"])
    return rows


def is_bare_department(name: str) -> bool:
    return name in aliases()


def split_level_prefix(name: str) -> tuple[str, str]:
    """(`州`, `税务局`) for `州税务局`; (``, name) when the name does not start with a level prefix
    followed by a known department (`市场监管局` is a department, not 市 + 场监管局)."""
    for k in (1, 2, 3):
        head, rest = name[:k], name[k:]
        if head and all(ch in LEVEL_CHARS for ch in head) and is_bare_department(rest):
            return head, rest
    return "", name


def unit_type(name: str) -> str:
    for kind, pattern in UNIT_TYPES:
        if pattern.search(name):
            return kind
    return "government_department"


def unit_function(name: str) -> str | None:
    """The function of a unit: by its bare department name, else by its type, else by keywords."""
    prefix, rest = split_level_prefix(name)
    if rest in aliases():
        return aliases()[rest]
    kind = unit_type(name)
    if kind in ("peoples_government", "development_zone_committee") or LOCAL_GOVERNMENT.search(name):
        return "local_government"  # before keywords: 人民政府 contains 民政
    if kind == "court_or_procuratorate":
        return "courts_procuratorate"
    for row in functions():
        if row["pattern"].search(name):
            return row["function"]
    return None
