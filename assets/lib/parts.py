"""Part headings of a plan (`总体目标`, `保障措施`, `指导思想`) and the provision `kind` they imply."""
import re

PART_KINDS = (
    ("goal", re.compile(r"^(?:总体|基本|主要|工作|发展|预期|具体)?目标(?:任务|要求)?$")),
    ("principle", re.compile(r"^(?:指导思想|总体要求|基本原则|工作原则|总体思路|工作思路|指导思想和(?:基本原则|总体目标))$")),
    ("safeguard", re.compile(r"^(?:(?:加强|强化|健全|完善|落实)?(?:组织|制度|工作|实施|政策|要素)?(?:保障|领导)(?:措施|机制|举措)?"
                             r"|组织实施|工作要求|工作机制|推进机制|实施步骤|保障措施|有关要求)$")),
)


def part_kind(heading: str) -> str | None:
    """The part a heading names (`goal`, `principle`, `safeguard`), or None for an ordinary heading."""
    bare = heading.rstrip("。：:").strip()
    for kind, pattern in PART_KINDS:
        if pattern.match(bare):
            return kind
    return None
