"""What kind of document a title names (plan, measures, opinion, regulation, notice) and whether it is a draft."""

import csv
import re
from functools import lru_cache

from assets.catalog import DATA_DIR

NOTICE_OF = re.compile(r"关于(?:印发|转发|公布)[《〈]?(?P<inner>.+?)[》〉]?的通知$")


@lru_cache(maxsize=1)
def _vocabularies() -> tuple[dict[str, str], re.Pattern, re.Pattern]:
    with open(DATA_DIR / "doc_types.csv", encoding="utf-8", newline="") as fh:
        types = {row["word"]: row["doc_type"] for row in csv.DictReader(fh)}
    with open(DATA_DIR / "draft_markers.csv", encoding="utf-8", newline="") as fh:
        markers = [row["marker"] for row in csv.DictReader(fh)]
    words = re.compile("|".join(sorted(map(re.escape, types), key=len, reverse=True)))
    return types, words, re.compile("|".join(map(re.escape, markers)))


DOC_TYPES = list(dict.fromkeys(_vocabularies()[0].values()))  # plan, measures, opinion, regulation, notice


def doc_type(title: str | None) -> str | None:
    """plan, measures, opinion, regulation or notice: the type of the last such word in the title, drafts' markers and
    a notice's wrapper left out (关于印发《…方案》的通知 is a plan); None when the title has none."""
    if not title:
        return None
    types, words, markers = _vocabularies()
    m = NOTICE_OF.search(title)
    text = markers.sub("", m.group("inner") if m else title)
    found = words.findall(text)
    return types[found[-1]] if found else None


def is_draft(title: str | None, head: str = "") -> bool:
    """True when the title or the head's first lines call the text a draft (征求意见稿, 草案, 送审稿, 讨论稿)."""
    _, _, markers = _vocabularies()
    return bool(markers.search(title or "") or markers.search("\n".join(head.split("\n")[:5])))
