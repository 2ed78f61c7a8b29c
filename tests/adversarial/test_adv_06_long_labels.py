"""Issue 27, case 6: labels of four or more digits. A plan numbered 1.…5000. was read as 999 provisions, the last
swallowing the remaining 4,001, and the 2,000-provision guard never fired."""

import pytest

from assets.domain.reading.decode import InputError
from assets.domain.reading.documents import NormalizedDocument
from assets.domain.reading.metadata import Metadata
from assets.domain.reading.normalize import normalize_text
from assets.domain.reading.provisions import MAX_PROVISIONS, extract_outline


def _document(text: str) -> NormalizedDocument:
    normalized = normalize_text(text)
    return NormalizedDocument("d", "d.txt", "0" * 64, normalized.text, "utf-8", "simplified", None, len(text), Metadata(), ())


def test_every_label_of_a_long_plan_is_read():
    text = "一、主要任务\n" + "\n".join(f"{n}.推进第{n}项工作。内容。" for n in range(1, 1501))
    provisions = extract_outline(_document(text)).provisions
    assert [p.number for p in provisions] == list(range(1, 1501))
    assert provisions[-1].text == "推进第1500项工作。内容。"


def test_a_file_of_thousands_of_provisions_is_quarantined_not_swallowed():
    text = "\n".join(f"{n}.推进第{n}项工作。内容。" for n in range(1, 5001))
    with pytest.raises(InputError) as error:
        extract_outline(_document(text))
    assert error.value.stage == "outline" and f"more than the {MAX_PROVISIONS}" in error.value.reason
