"""One raw file read from disk for the domain: the bytes its inventory hashed, or an error saying why not."""

import hashlib

from assets.domain.reading.decode import InputError
from assets.domain.reading.documents import NormalizedDocument, document_from_bytes
from assets.engine.inventory import MAX_BYTES, RawFile, read_regular


def read_document(raw: RawFile) -> NormalizedDocument:
    """The normalized document of `raw`; raise InputError when it cannot be published."""
    if raw.problem:
        raise raw.problem
    data = read_regular(raw.path, MAX_BYTES)
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 != raw.sha256:  # what is parsed must be what was hashed: the hash keys the cache and is published
        raise InputError(
            "inventory",
            f"changed while the build was reading it (hashed as {raw.sha256[:12]}, read as "
            f"{sha256[:12]}); not published by this build, read again by the next",
            transient=True,
        )
    return document_from_bytes(raw.source_file, data, raw.sha256, raw.manifest)
