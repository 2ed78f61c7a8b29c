"""Raw bytes to text: detect the encoding (UTF-8, UTF-8/UTF-16/UTF-32 with BOM, UTF-16 without, GB18030, Big5) or say
why not."""

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes


class InputError(ValueError):
    """A raw file that cannot be published; `stage` says where it failed. `transient`: the failure says nothing about
    the file's bytes (it changed while being read), so it is not remembered with them."""

    def __init__(self, stage: str, reason: str, transient: bool = False):
        super().__init__(reason)
        self.stage = stage
        self.reason = reason
        self.transient = transient

    def __reduce__(self):  # picklable, so it can travel from forked workers
        return (InputError, (self.stage, self.reason, self.transient))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    doubt: str | None = None  # why the encoding is a guess the text should be checked against (None: no doubt)


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried when there is no BOM and the bytes are not UTF-8. GB18030 (a superset of GBK and GB2312) decodes nearly any
# byte pairs, Big5 ones included, so when both decode the detector tells them apart (Big5 as Python's big5, else cp950).
CJK_CODECS = ("gb18030", "big5", "cp950")


def decode_bytes(data: bytes) -> Decoded:
    """Decode a raw policy text; raise InputError(stage='decode') when it is empty, binary or undecodable."""
    if not data:
        raise InputError("decode", "the file is empty (0 bytes)")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    "decode", f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}"
                ) from exc
            return _checked(Decoded(text, encoding))
    nul = data.find(b"\x00")
    if nul >= 0:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError("decode", f"binary content: NUL byte at offset {nul}, and not UTF-16 text")
        return _checked(utf16)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        errors = [f"utf-8: {exc.reason} at byte {exc.start}"]
    decodings = {}
    for encoding in CJK_CODECS:
        if encoding == "cp950" and "big5" in decodings:
            continue
        try:
            decodings[encoding] = data.decode(encoding)
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
    if not decodings:
        raise InputError("decode", "not decodable as UTF-8, GB18030 or Big5 (" + "; ".join(errors) + ")")
    if len(decodings) == 1:
        [(encoding, text)] = decodings.items()
        return _checked(Decoded(text, encoding))
    return _checked(_detected(data, decodings))


def _detected(data: bytes, decodings: dict[str, str]) -> Decoded:
    """GB18030 or Big5, for bytes both decode, as charset-normalizer judges them (the one whose text looks least like
    noise); a doubt when it keeps both or neither."""
    names = list(decodings)
    results = from_bytes(data, cp_isolation=names)
    kept = [match.encoding for match in results]
    best = results.best()
    encoding = next((name for name in names if best is not None and _same_codec(best.encoding, name)), None)
    if encoding is None:
        return Decoded(
            decodings["gb18030"],
            "gb18030",
            f"the bytes decode as {' and as '.join(names)} and the detector preferred neither: read as gb18030, check the text",
        )
    doubt = None
    if len(kept) > 1:
        doubt = f"the bytes decode as {' and as '.join(names)} and the detector found both plausible: read as {encoding}, check the text"
    return Decoded(decodings[encoding], encoding, doubt)


def _same_codec(a: str, b: str) -> bool:
    return codecs.lookup(a).name == codecs.lookup(b).name


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text with no byte-order mark: the NUL bytes (high bytes of ASCII characters, such as digits and line
    breaks) mostly on one side of their pairs, which gives the byte order; valid UTF-16 in that order, with line breaks,
    and mostly CJK, ASCII and CJK punctuation. Binary data and ASCII text with NUL bytes have NULs on both sides."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < 2 * min(even, odd):
        return None
    encoding = "utf-16-be" if even > odd else "utf-16-le"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    readable = sum(
        1
        for ch in text
        if " " <= ch <= "~" or ch in "\t\r\n" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return Decoded(text, encoding) if "\n" in text and readable >= 0.9 * len(text) else None


def _checked(decoded: Decoded) -> Decoded:
    if not decoded.text.strip():
        raise InputError("decode", "the file holds only whitespace")
    control = sum(1 for ch in decoded.text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if control > max(8, len(decoded.text) // 100):
        raise InputError("decode", f"binary content: {control} control characters in {len(decoded.text)} characters")
    return decoded
