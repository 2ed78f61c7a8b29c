"""The curated deduplication decisions of a build: `RAW_DIR/dedup_overrides.csv`, read as a side file."""

from pathlib import Path

from assets.domain.dedup.matching import OVERRIDES_NAME, Overrides, parse_overrides
from assets.domain.reading.decode import InputError
from assets.engine.inventory import read_side_file


def read_overrides(raw_dir: Path) -> Overrides:
    """The overrides in RAW_DIR (none when the file is absent); a file that cannot be read is ignored with a problem."""
    try:
        data = read_side_file(raw_dir, OVERRIDES_NAME)
    except InputError as error:
        return Overrides(problems=[f"{OVERRIDES_NAME}: {error.reason}; ignored"])
    return Overrides() if data is None else parse_overrides(data)
