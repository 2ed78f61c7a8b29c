"""Part headings of a plan (`总体目标`, `保障措施`, `指导思想`) and the provision `kind` they imply."""

import re

PART_KINDS = (
    ("goal", re.compile(r"^(?:总体|基本|主要|工作|发展|预期|具体)?目标(?:要求)?$")),
    ("principle", re.compile(r"^(?:指导思想|总体要求|基本原则|工作原则|总体思路|工作思路|指导思想和(?:基本原则|总体目标)|总则|附则)$")),
    (
        "safeguard",
        re.compile(
            r"^(?:(?:加强|强化|健全|完善|落实)?(?:组织|制度|工作|实施|政策|要素)?(?:保障|领导)(?:措施|机制|举措)?"
            r"|组织实施|工作要求|工作机制|推进机制|实施步骤|保障措施|有关要求"
            r"|法律责任|责任追究|监督保障|监督与保障|保障与监督)$"
        ),
    ),
)
# A regulation without chapters says what its opening and closing articles are about: purpose, scope, leadership and the
# competent department first, entry into force (principle) and supervision, complaints, liability (safeguard) last.
OPENING_ARTICLE = re.compile(
    r"^为(?:了)?.{0,120}(?:制定本|特制定|制定)|^根据.{0,120}(?:制定本|结合)|本(?:条例|办法|规定|细则|规则|措施)(?:所称|适用于|是指)|适用本(?:条例|办法|规定|细则)"
    r"|^本(?:省|市|县|区|州)?行政区域内|(?:人民政府|管委会|管理委员会).{0,40}(?:领导|统筹|协调机制|纳入)|主管部门|职责分工|按照各自职责|(?:遵循|坚持).{0,40}原则|第一责任人"
    r"|^下列.{0,30}(?:适用|依法|应当)|所称|是指|^.{2,30}包括.{2,100}等(?:类型|方面|事项)?。?$"
    r"|^[^，。；]{2,40}负责[^。]{0,60}(?:工作|核准|管理|监督|登记|审批|协调)|受(?:到)?(?:法律)?保护|各有关部门应当"
)
IN_FORCE_ARTICLE = re.compile(
    r"(?:自|从).{0,30}(?:起)?(?:施行|实施|执行)|(?:负责|由).{0,30}解释|同时废止|参照本.{0,6}执行|参照执行|参照适用"
)
LIABILITY_ARTICLE = re.compile(
    r"违反本|法律责任|追究|(?:给予|依法|予以|行政)处分|问责|投诉|举报|监督检查|督查|考核|责令改正|依法给予|处罚|渎职|徇私|赔偿责任"
    r"|失信|惩戒"
    r"|违法行使职权|滥用职权|玩忽职守"
)


def part_kind(heading: str) -> str | None:
    """The part a heading names (`goal`, `principle`, `safeguard`), or None for an ordinary heading."""
    bare = heading.rstrip("。：:").strip()
    for kind, pattern in PART_KINDS:
        if pattern.match(bare):
            return kind
    return None


def implicit_article_kind(text: str, at_start: bool) -> str | None:
    """The part an article outside any chapter belongs to by what it says, or None for an ordinary article:
    `principle` for opening articles (at_start) and the closing entry into force, `safeguard` for closing liability."""
    if at_start:
        return "principle" if OPENING_ARTICLE.search(text) else None
    if IN_FORCE_ARTICLE.search(text) and len(text) <= 150:
        return "principle"
    return "safeguard" if LIABILITY_ARTICLE.search(text) else None
