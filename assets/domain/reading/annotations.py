"""Find responsibility annotations (`（牵头单位：…；配合单位：…）`) so they stay out of a measure's text.

This module only locates them; reading the units inside is a later stage.
"""

import re

from assets.catalog.role_fields import FIELD, FIELD_LINE, ROLE_WORDS

OPEN_TO_CLOSE = {"（": "）", "〔": "〕", "[": "]", "【": "】"}


def split_trailing_annotation(text: str) -> tuple[str, str | None]:
    """(text without its trailing bracketed annotation, the annotation or None).

    The annotation is the last bracket group, closing at the end of the text (a `。` or `；` after
    it is dropped too), whose content names a role (`牵头单位`, `…牵头`, `责任单位`, …) and which
    either holds a `role：` field or follows a finished sentence: `…子方案（总牵头单位负责）。` is a
    parenthetical inside the sentence, not an annotation.
    """
    stripped = text.rstrip(" 。；;")
    if not stripped:
        return text, None
    if stripped[-1] not in OPEN_TO_CLOSE.values():
        return _unclosed(text)
    close = stripped[-1]
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch == close:
            depth += 1
        elif OPEN_TO_CLOSE.get(ch) == close:
            depth -= 1
            if depth == 0:
                inner = stripped[i + 1 : -1]
                before = stripped[:i].rstrip()
                if not ROLE_WORDS.search(inner) or i == 0:
                    return text, None
                if not FIELD.search(inner) and before and before[-1] not in "。；！？":
                    return text, None
                return text[:i].rstrip(), stripped[i:]
    return text, None


UNCLOSED = re.compile(rf"[（〔\[【](?={FIELD.pattern})[^（）〔〕\[\]【】]*$")


def _unclosed(text: str) -> tuple[str, str | None]:
    """A bracket opened for a `role：` field and never closed: the rest of the text is the annotation."""
    m = UNCLOSED.search(text)
    if not m or m.start() == 0:
        return text, None
    return text[: m.start()].rstrip(), text[m.start() :].rstrip(" 。；;")


def is_annotation_line(line: str) -> bool:
    """A line that is a responsibility field on its own (`责任单位：…`, `督办领导：…`)."""
    return bool(FIELD_LINE.match(line))
