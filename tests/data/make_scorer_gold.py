#!/usr/bin/env python3
"""Write a corpus's four scorer gold files (gold_structure/units/targets/metadata.json) from its gold/*.json,
in the formats read by shared/eval/score.py, so the per-document annotation stays the one source.

    python tests/data/make_scorer_gold.py tests/data/real_documents tests/data/heldout_documents
"""
import json
import pathlib
import sys


def clean(doc, field):
    """The scorer value of a metadata field: the cleaned spelling where the text carries scrape debris."""
    return doc.get(f"{field}_clean", doc.get(field))


def spellings(measure, name):
    alts = measure["alt_spellings"].get(name, [])
    return [name, *alts] if alts else name


def write(corpus: pathlib.Path) -> None:
    docs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "gold").glob("*.json"))}
    shas = {name: d["sha256"] for name, d in docs.items()}

    structure = {
        name: {"sha256": d["sha256"],
               "items": [{"kind": m["kind"], "number": m["number"], "title": m.get("title_clean", m["title"])} for m in d["measures"]]}
        for name, d in docs.items()
    }

    units = []
    for name, d in docs.items():
        seen = set()
        for m in d["measures"]:
            # the scorer keys a measure by (kind "measure", number, first occurrence); annotations cut by the
            # excerpt end are left out, as in the dev gold
            if m["kind"] != "measure" or m["number"] in seen:
                continue
            seen.add(m["number"])
            if not m["complete"] and m.get("partial_units"):
                continue
            roles = {}
            for role, key in (("lead", "lead_units"), ("cooperating", "cooperating_units"), ("responsible", "responsible_units")):
                names = [spellings(m, n) for n in m[key]]
                names += ["?" + o["name"] for o in m["optional_units"] + m.get("implicit_units", []) if o["role"] == role]
                if names:
                    roles[role] = names
            if roles:
                units.append({"doc": name, "measure": m["number"], "roles": roles})

    targets, measures = [], {}
    for name, d in docs.items():
        seen = []
        for m in d["measures"]:
            if m["kind"] != "measure" or m["number"] in seen:
                continue
            seen.append(m["number"])
            for t in m["targets"]:
                targets.append({"doc": name, "measure": m["number"], **{k: t[k] for k in (
                    "value", "value_max", "unit", "comparator", "baseline", "year", "metric", "required")}})
        measures[name] = seen

    metadata = {
        name: {"title": clean(d, "title"), "issue_date": d["issue_date"], "doc_number": clean(d, "doc_number"),
               "region": d["region"], "province": d["province"]}
        for name, d in docs.items()
    }

    out = {
        "gold_structure.json": structure,
        "gold_units.json": {"documents": shas, "measures": units},
        "gold_targets.json": {"documents": shas, "measures": measures, "targets": targets},
        "gold_metadata.json": {"documents": shas, "metadata": metadata},
    }
    for file, data in out.items():
        (corpus / file).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{corpus.name}: {len(docs)} documents, {sum(len(v['items']) for v in structure.values())} provisions, "
          f"{len(units)} unit entries, {len(targets)} targets")


if __name__ == "__main__":
    for folder in sys.argv[1:]:
        write(pathlib.Path(folder))
