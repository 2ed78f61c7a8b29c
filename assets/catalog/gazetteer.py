"""China's administrative divisions (GB/T 2260) and the names texts call them by, read from the CSV files in data/.

divisions.csv is the official list (see benchmarks/make_divisions.py for its source and date); the names texts use
beyond the official ones are derived by rule (自治州 without its peoples: 湘西州, 湘西自治州, 湘西) or listed in
region_aliases.csv (巴州, 文号 abbreviations such as 鄂) and zones.csv (functional zones such as 广州开发区)."""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from assets.catalog import DATA_DIR

LEVELS = ("province", "prefecture", "county")
MUNICIPALITY = "直辖市"
# The 55 minority peoples' names as they appear inside the names of autonomous divisions (湘西土家族苗族自治州).
PEOPLES = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
)
# Suffixes that make a name a division's (longest first), and what the bare stem before them may be completed with.
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市", "盟", "州", "县", "旗", "区")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province, prefecture or county
    kind: str  # 省, 自治区, 直辖市, 特别行政区, 地级市, 自治州, 地区, 盟, 市辖区, 县, 县级市, 自治县, 旗, 自治旗, 林区, 特区
    parent_code: str | None
    listed_until: str | None  # year of the last official list naming it, for divisions since abolished


@dataclass(frozen=True)
class Zone:
    name: str
    code: str  # the division it is one administration with (co_located), or lies in
    co_located: bool


@dataclass(frozen=True)
class Gazetteer:
    divisions: dict[str, Division]
    names: dict[str, frozenset[str]]  # full names as texts write them (official, former, derived, aliases) → codes
    zones: dict[str, Zone]
    stems: dict[str, frozenset[str]]  # bare names without their suffix, two characters or more (湘阴, 广西) → codes
    abbreviations: dict[str, frozenset[str]]  # one-character 文号 abbreviations (鄂, 穗) → codes
    generic: frozenset[str]  # names that are also common words (老城区): places only after their parent
    organ_tokens: dict[str, frozenset[str]]  # characters of a 文号's organ code → kinds of division they imply (empty: any)
    cues: tuple[tuple[str, str], ...]  # (template, meaning) from region_cues.csv
    max_name: int
    name_ends: re.Pattern  # the characters names end with
    province_stems: dict[str, str]  # bare names of provinces (江苏, 广西) → code

    def lineage(self, code: str) -> list[Division]:
        """The division and its ancestors, province first."""
        chain = []
        current: str | None = code
        while current and current in self.divisions:
            chain.insert(0, self.divisions[current])
            current = self.divisions[current].parent_code
        return chain

    def within(self, code: str, ancestor: str) -> bool:
        return any(d.code == ancestor for d in self.lineage(code))

    def province_of(self, code: str) -> str:
        return self.lineage(code)[0].code


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def stem_of(name: str) -> str | None:
    """The name without its suffix and the peoples of an autonomous division (湘西土家族苗族自治州 → 湘西)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _without_peoples(stem)
            return stem
    return None


def _without_peoples(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        stem = stem.removesuffix("族")
        for people in sorted(PEOPLES, key=len, reverse=True):
            if stem.endswith(people) and len(stem) > len(people) + 1:
                stem, changed = stem[: -len(people)], True
                break
    return stem


def _derived_names(d: Division) -> list[str]:
    """Names texts commonly write for an autonomous division: 湘西州, 湘西自治州, 峨边县, 鄂伦春旗."""
    stem = stem_of(d.name)
    if not stem or not d.kind.startswith("自治") or len(stem) < 2:
        return []
    short = {"自治州": "州", "自治县": "县", "自治旗": "旗", "自治区": ""}[d.kind]
    return [n for n in (stem + short, stem + d.kind) if len(n) > len(stem)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    divisions = {}
    former: dict[str, set[str]] = {}
    for row in _read("divisions.csv"):
        d = Division(row["region_code"], row["name"], row["level"], row["kind"], row["parent_code"] or None, row["listed_until"] or None)
        divisions[d.code] = d
        for old in filter(None, row["former_names"].split("|")):
            former.setdefault(old, set()).add(d.code)
    names: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for d in divisions.values():
        for name in [d.name, *_derived_names(d)]:
            names.setdefault(name, set()).add(d.code)
        stem = stem_of(d.name)
        if stem and len(stem) >= 2:
            stems.setdefault(stem, set()).add(d.code)
    for name, codes in former.items():
        names.setdefault(name, set()).update(codes)
    abbreviations: dict[str, set[str]] = {}
    for row in _read("region_aliases.csv"):
        target = abbreviations if row["used_in"] == "doc_number" else names
        target.setdefault(row["alias"], set()).add(row["region_code"])
    zones = {row["zone"]: Zone(row["zone"], row["region_code"], row["co_located"] == "true") for row in _read("zones.csv")}
    for zone in zones.values():
        names.setdefault(zone.name, set()).add(zone.code)
    organ_tokens = {row["token"]: frozenset(filter(None, row["kinds"].split("|"))) for row in _read("doc_number_organs.csv")}
    cues = tuple((row["cue"], row["meaning"]) for row in _read("region_cues.csv"))
    generic = frozenset(row["name"] for row in _read("generic_division_names.csv"))
    unknown = {c for codes in [*names.values(), *abbreviations.values()] for c in codes} - set(divisions)
    if unknown:
        raise ValueError(f"assets/catalog/data: region codes {sorted(unknown)} are not in divisions.csv")
    return Gazetteer(
        divisions,
        {k: frozenset(v) for k, v in names.items()},
        zones,
        {k: frozenset(v) for k, v in stems.items()},
        {k: frozenset(v) for k, v in abbreviations.items()},
        generic,
        organ_tokens,
        cues,
        max(map(len, names)),
        re.compile("[" + re.escape("".join(sorted({n[-1] for n in names}))) + "]"),
        {stem_of(d.name) or d.name: d.code for d in divisions.values() if d.level == "province" and not d.listed_until},
    )


def region_rows() -> list[dict]:
    """The `regions` table: every division of the list, with its province's name."""
    gaz = gazetteer()
    return [
        {
            "region_code": d.code,
            "name": d.name,
            "level": d.level,
            "kind": d.kind,
            "parent_code": d.parent_code,
            "province": gaz.lineage(d.code)[0].name,
            "listed_until": int(d.listed_until) if d.listed_until else None,
        }
        for d in sorted(gaz.divisions.values(), key=lambda d: d.code)
    ]
