"""Responsibility annotations of all measures → `units`, `measure_units` and per-measure deadline/supervisors."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from assets.catalog.body_classes import unit_function, unit_type
from assets.domain.extracting.responsibility import apply_lead_rule, read_responsibility
from assets.domain.frames import records


@dataclass
class ResponsibilityTables:
    units: pd.DataFrame
    measure_units: pd.DataFrame
    measure_fields: pd.DataFrame  # measure_id, deadline_text, supervisors
    warnings: list[dict] = field(default_factory=list)  # source_file, doc_id, stage, message


def unit_id_for(region_key: str, name: str) -> str:
    """Stable unit id: the same name in the same region is one unit, in two regions two units."""
    return hashlib.sha1(f"unit:{region_key}|{name}".encode("utf-8")).hexdigest()[:12]


def build_responsibility_tables(measures: pd.DataFrame, documents: pd.DataFrame) -> ResponsibilityTables:
    coded = "region_code" in documents
    docs = {
        d.doc_id: {
            "source_file": d.source_file,
            "region": _text(d.region),  # what a measure's units and warnings need
            "key": _text(d.region_code if coded else None) or _text(d.region),
        }  # two 鼓楼区 are two regions
        for d in records(documents, ("doc_id", "source_file", "region") + (("region_code",) if coded else ()))
    }
    units: dict[str, dict] = {}
    links: dict[tuple[str, str, str], dict] = {}
    fields, warnings = [], []
    lead_count: Counter = Counter()
    measure_count: Counter = Counter()
    lead_rule: set[str] = set()  # documents whose rule "the first responsible unit leads" has been stated
    for m in records(measures, ("measure_id", "doc_id", "kind", "label", "responsibility_text", "section_responsibility_text")):
        doc = docs[m.doc_id]
        region_key = doc["key"] or f"doc:{m.doc_id}"
        deadline, supervisors, has_lead = None, [], False
        for source, annotation in (("measure", m.responsibility_text), ("section", m.section_responsibility_text)):
            if not isinstance(annotation, str) or not annotation:
                continue
            parsed = read_responsibility(annotation)
            for problem in parsed.problems:
                warnings.append(_warning(doc, m, f"{m.label}: {problem}"))
            if parsed.first_responsible_leads:
                lead_rule.add(m.doc_id)
            deadline = deadline or parsed.deadline
            supervisors += [s for s in parsed.supervisors if s not in supervisors]
            roles = apply_lead_rule(parsed.roles) if m.doc_id in lead_rule and source == "measure" else parsed.roles
            for role, name in roles:
                uid = unit_id_for(region_key, name)
                units.setdefault(
                    uid,
                    {"unit_id": uid, "name": name, "region": doc["region"], "unit_type": unit_type(name), "function": unit_function(name)},
                )
                links.setdefault((m.measure_id, uid, role), {"measure_id": m.measure_id, "unit_id": uid, "role": role, "source": source})
                has_lead |= role == "lead"
        fields.append({"measure_id": m.measure_id, "deadline_text": deadline, "supervisors": "、".join(supervisors) or None})
        if m.kind == "measure":
            measure_count[m.doc_id] += 1
            lead_count[m.doc_id] += has_lead
            if not has_lead:
                warnings.append(_warning(doc, m, f"{m.label}: no lead unit", kind="no_lead"))
    # "No lead" is only worth saying where most measures of the document do name one.
    warnings = [w for w in warnings if w.pop("kind", None) != "no_lead" or lead_count[w["doc_id"]] * 2 > measure_count[w["doc_id"]]]
    return ResponsibilityTables(
        units=pd.DataFrame(sorted(units.values(), key=lambda u: (u["region"] or "", u["name"]))),
        measure_units=pd.DataFrame(list(links.values())),
        measure_fields=pd.DataFrame(fields),
        warnings=warnings,
    )


WARNING_COLUMNS = ["source_file", "doc_id", "stage", "message"]


def _text(value) -> str | None:
    """A string cell, or None for a null (None, NaN) or empty one."""
    return value if isinstance(value, str) and value else None


def document_tables(tables: ResponsibilityTables) -> dict[str, pd.DataFrame]:
    """One document's responsibility tables by name, warnings as a table too: the form a stage snapshot keeps."""
    return {
        "units": tables.units,
        "measure_units": tables.measure_units,
        "measure_fields": tables.measure_fields,
        "warnings": pd.DataFrame(tables.warnings, columns=WARNING_COLUMNS),
    }


def combine_responsibility_tables(tables: dict[str, pd.DataFrame]) -> ResponsibilityTables:
    """The `document_tables` of several documents, each table combined over them, as one corpus would give: a unit
    named by two documents of one region is one row, sorted as `build_responsibility_tables` sorts."""
    units = tables["units"]
    if len(units):
        units = units.drop_duplicates("unit_id", keep="first")
        keys = list(zip(units["region"].tolist(), units["name"].tolist()))
        order = sorted(range(len(keys)), key=lambda i: (keys[i][0] if isinstance(keys[i][0], str) else "", keys[i][1]))
        units = units.take(order).reset_index(drop=True)
    warnings = tables["warnings"]
    return ResponsibilityTables(
        units=units,
        measure_units=tables["measure_units"],
        measure_fields=tables["measure_fields"],
        warnings=warnings[WARNING_COLUMNS].to_dict("records") if len(warnings) else [],
    )


def _warning(doc, m, message: str, kind: str = "") -> dict:
    return {"source_file": doc["source_file"], "doc_id": m.doc_id, "stage": "responsibility", "message": message, "kind": kind}
