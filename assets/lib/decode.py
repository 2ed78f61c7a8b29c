"""Raw bytes to text: detect the encoding (UTF-8, UTF-8/UTF-16 with BOM, GB18030) or say why not."""
import codecs
from dataclasses import dataclass


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


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in order when there is no BOM. GB18030 is a superset of GBK and GB2312.
FALLBACKS = ("utf-8", "gb18030")


def decode_bytes(data: bytes) -> Decoded:
    """Decode a raw policy text; raise InputError(stage='decode') when it is empty, binary or undecodable."""
    if not data:
        raise InputError("decode", "the file is empty (0 bytes)")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError("decode", f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
            return _checked(Decoded(text, encoding))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError("decode", f"binary content: NUL byte at offset {nul} and no UTF-16 byte-order mark")
    errors = []
    for encoding in FALLBACKS:
        try:
            return _checked(Decoded(data.decode(encoding), encoding))
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
    raise InputError("decode", "not decodable as UTF-8 or GB18030 (" + "; ".join(errors) + ")")


def _checked(decoded: Decoded) -> Decoded:
    if not decoded.text.strip():
        raise InputError("decode", "the file holds only whitespace")
    control = sum(1 for ch in decoded.text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if control > max(8, len(decoded.text) // 100):
        raise InputError("decode", f"binary content: {control} control characters in {len(decoded.text)} characters")
    return decoded
