import codecs

import pytest

from assets.domain.reading.decode import InputError, decode_bytes

TEXT = "一、总体要求\n（一）优化营商环境。企业开办时间压缩至0.5个工作日。"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),  # with BOM
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_detects_encoding(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text.lstrip("\ufeff") == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"  \n\t \r\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL byte"),
        (bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 20, "not decodable"),
        (bytes(range(1, 9)) * 50, "control characters"),
    ],
)
def test_rejects_bad_bytes_with_a_reason(data, words):
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert err.value.stage == "decode"
    assert words in err.value.reason


def test_input_error_survives_pickling():
    import pickle

    err = pickle.loads(pickle.dumps(InputError("decode", "the file is empty")))
    assert (err.stage, err.reason) == ("decode", "the file is empty")
