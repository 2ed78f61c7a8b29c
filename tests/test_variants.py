"""The outline must not depend on how a source happened to render the text: each seed, rewritten the
way other sources differ, gives the same provisions (kind, number, title) as the original."""

import pytest

from assets.domain.reading.decode import decode_bytes
from assets.domain.reading.normalize import normalize_text
from tests.helpers import full_width, indented_crlf, lost_spaces, pdf_spacing, provisions, seed_texts, traditional

SEEDS = seed_texts()


def one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


@pytest.mark.parametrize("name", sorted(SEEDS))
@pytest.mark.parametrize("rewrite", [traditional, pdf_spacing, full_width, lost_spaces, indented_crlf], ids=lambda f: f.__name__)
def test_rewritten_seed_has_same_outline(name, rewrite):
    original = decode_bytes(SEEDS[name]).text
    expected = provisions(original)
    assert len(expected) > 30
    assert provisions(rewrite(original)) == expected


# A one-line scrape keeps the structure only where each provision's title ends with 。 on its own line
# in the original; headings standing alone (Xishan safeguards) and closing lines (Xiaodian) cannot be
# told from body text once line breaks are gone.
@pytest.mark.parametrize("name", [n for n in sorted(SEEDS) if not n.startswith(("kunming", "taiyuan"))])
def test_one_line_scrape_has_same_measures(name):
    original = decode_bytes(SEEDS[name]).text
    expected = [p for p in provisions(original) if p[0] == "measure"]
    assert [p for p in provisions(one_line(original)) if p[0] == "measure"] == expected


def test_traditional_copy_is_recorded_as_traditional():
    name = sorted(SEEDS)[0]
    assert normalize_text(traditional(decode_bytes(SEEDS[name]).text)).script == "traditional"
