"""The domain's value classes the engine keeps between builds, registered with `portable` so that they (and only
they, with the engine's own) can be rebuilt from what is read back."""

from rensa import RMinHashLSH

from assets.domain.dedup.matching import DocumentDuplicates, SearchState, TextIndex, lsh_from, lsh_state
from assets.domain.reading.decode import InputError
from assets.domain.reading.documents import NormalizedDocument
from assets.domain.reading.metadata import Metadata
from assets.domain.reading.origins import Origin
from assets.engine.portable import register, register_custom

register(NormalizedDocument, Metadata, Origin, DocumentDuplicates, SearchState, TextIndex)
register_custom(InputError, lambda error: [error.stage, error.reason, error.transient], lambda fields: InputError(*fields))
register_custom(RMinHashLSH, lsh_state, lsh_from)
