"""Numbers typed or forged by users never crash a handler."""

import pytest

from digests.ids import parse_id


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", 0),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("1e3", None),
        ("99999999999999999999", None),
        ("9223372036854775807", 2**63 - 1),
    ],
)
def test_parse_id(text, value):
    assert parse_id(text) == value


def test_parse_id_respects_a_smaller_bound():
    assert parse_id("1001", maximum=1000) is None
