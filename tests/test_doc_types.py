"""Document type and draft status from the title."""

import pytest

from assets.catalog.doc_types import doc_type, is_draft


@pytest.mark.parametrize(
    "title, kind",
    [
        ("某市2023年优化营商环境工作要点", "plan"),
        ("某县营商环境提升三年行动计划（2023—2025年）", "plan"),
        ("关于印发《某区持续优化营商环境若干举措》的通知", "measures"),
        ("某市人民政府办公室关于印发进一步优化营商环境十条措施的通知", "measures"),
        ("某州关于深化“放管服”改革优化营商环境的实施意见", "opinion"),
        ("某省优化营商环境条例（征求意见稿）", "regulation"),
        ("某市优化营商环境办法", "regulation"),
        ("关于开展营商环境评价工作的通知", "notice"),
        ("某市营商环境报告", None),
        (None, None),
    ],
)
def test_doc_type_is_the_last_type_word_of_the_inner_title(title, kind):
    assert doc_type(title) == kind


@pytest.mark.parametrize(
    "title, head, draft",
    [
        ("某省优化营商环境条例（征求意见稿）", "", True),
        ("某市优化营商环境条例（草案）", "", True),
        ("某市优化营商环境条例", "关于公开征求意见的说明\n送审稿", True),
        ("某市优化营商环境实施意见", "各区县人民政府：\n现将意见印发给你们。", False),
    ],
)
def test_drafts(title, head, draft):
    assert is_draft(title, head) is draft
