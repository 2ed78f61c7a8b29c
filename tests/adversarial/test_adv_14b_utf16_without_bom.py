"""Case 14 (part): UTF-16 without a byte-order mark is read, not reported as binary; binary stays binary."""

import os

import pytest

from assets.domain.reading.decode import InputError, decode_bytes
from tests.helpers import GOOD


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_decoded(codec):
    decoded = decode_bytes(GOOD.encode(codec))
    assert decoded.text == GOOD and decoded.encoding == codec


def test_random_bytes_with_nul_bytes_are_still_binary():
    with pytest.raises(InputError) as caught:
        decode_bytes(bytes(b if i % 2 else 0 for i, b in enumerate(os.urandom(4000))))
    assert "binary" in caught.value.reason
