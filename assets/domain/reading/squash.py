"""The comparison form of a text: without whitespace and punctuation, width-normalized, so copies that differ only in
rendering compare equal (used to drop repeated sentences and to find duplicates)."""

import re
import unicodedata

PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def squash(text: str) -> str:
    """Text without whitespace and punctuation, width-normalized: equal for copies that differ only in rendering."""
    if _PLAIN.fullmatch(text):  # NFKC would leave its letters as they are and change only what is removed anyway
        return PUNCT_OR_SPACE.sub("", text)
    return PUNCT_OR_SPACE.sub("", unicodedata.normalize("NFKC", text))


def _removed_whatever_the_form(ch: str) -> bool:
    """A punctuation or space character whose NFKC form is punctuation or space too, and that takes no part in
    composing characters (it decomposes to starters only): dropping it before or after NFKC gives the same text."""
    return (
        PUNCT_OR_SPACE.fullmatch(ch) is not None
        and PUNCT_OR_SPACE.fullmatch(unicodedata.normalize("NFKC", ch)) is not None
        and all(unicodedata.combining(c) == 0 for c in unicodedata.normalize("NFKD", ch))
    )


# Texts of CJK ideographs, ASCII letters and digits (which NFKC leaves alone and which never compose with their
# neighbours) and such punctuation: most provisions. NFKC of a whole text was most of the cost of `squash`,
# so such texts skip it.
_PLAIN = re.compile(
    "[\u4e00-\u9fffA-Za-z0-9"
    + re.escape(
        "".join(
            ch
            for ch in map(
                chr,
                [
                    *range(0x20, 0x7F),
                    *range(0x2000, 0x2070),
                    *range(0x3000, 0x3040),
                    *range(0xFE30, 0xFE70),
                    *range(0xFF00, 0xFF66),
                    0x09,
                    0x0A,
                    0x0D,
                    0xA0,
                    0xB7,
                ],
            )
            if not ch.isalnum() and _removed_whatever_the_form(ch)
        )
    )
    + "]*"
)
