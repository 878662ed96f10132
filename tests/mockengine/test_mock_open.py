"""``mock_open``: a mocked ``open`` reading given data."""

from __future__ import annotations

from mockengine import call, mock_open, patch


def test_reading_the_data_in_every_way() -> None:
    opener = mock_open(read_data="one\ntwo\n")
    with patch("builtins.open", opener):
        with open("f") as handle:
            assert handle.read() == "one\ntwo\n"
        with open("f") as handle:
            assert handle.readline() == "one\n"
            assert list(handle) == ["two\n"]
        with open("f") as handle:
            assert handle.readlines() == ["one\n", "two\n"]
    opener.assert_called_with("f")
    assert call().__exit__(None, None, None) in opener.mock_calls


def test_binary_data_and_writes_are_recorded() -> None:
    opener = mock_open(read_data=b"\x00\x01")
    with patch("builtins.open", opener):
        with open("f", "rb") as handle:
            assert handle.read() == b"\x00\x01"
        with open("g", "w") as handle:
            handle.write("text")
    opener.return_value.write.assert_called_once_with("text")
