"""Sentences a scrape or a copy repeated: one that repeats the sentence just before it is dropped."""

import re

from assets.domain.reading.squash import squash

SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def remove_repetition(text: str) -> tuple[str, bool]:
    """Drop a sentence that repeats the one just before it (`简化审批程序。简化审批程序。配合…`)."""
    out, previous, removed = [], None, False  # previous: the squashed form of the last sentence kept
    for line in text.split("\n"):
        kept = []
        for sentence in SENTENCE.findall(line):
            key = squash(sentence)
            if key and key == previous:
                removed = True
                continue
            kept.append(sentence)
            previous = key
        out.append("".join(kept))
    return "\n".join(out), removed
