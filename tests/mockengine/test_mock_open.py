"""``mock_open``: a mocked ``open`` reading given data."""

from __future__ import annotations

import pytest

from mockengine import MagicMock, call, mock_open, patch


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


def test_iteration_gives_the_lines() -> None:
    opener = mock_open(read_data="a\nb\nc")
    with patch("builtins.open", opener), open("f") as handle:
        assert list(handle) == ["a\n", "b\n", "c"]


def test_each_open_reads_the_data_from_the_start() -> None:
    opener = mock_open(read_data="data")
    with patch("builtins.open", opener):
        with open("f") as first:
            assert first.read(2) == "da"
        with open("f") as second:
            assert second.read() == "data"


def test_reads_continue_where_the_last_one_stopped() -> None:
    opener = mock_open(read_data="one\ntwo\nthree\n")
    with patch("builtins.open", opener), open("f") as handle:
        assert handle.readline() == "one\n"
        assert handle.read(3) == "two"
        assert handle.readlines() == ["\n", "three\n"]
        assert handle.readline() == ""
        assert handle.read() == ""


def test_a_configured_return_value_wins_over_the_data() -> None:
    opener = mock_open(read_data="data")
    opener.return_value.read.return_value = "configured"
    with patch("builtins.open", opener), open("f") as handle:
        assert handle.read() == "configured"


def test_without_read_data_files_are_empty() -> None:
    with patch("builtins.open", mock_open()), open("f") as handle:
        assert (handle.read(), handle.readline(), handle.readlines()) == ("", "", [])


def test_the_handle_has_the_attributes_of_a_file_only() -> None:
    handle = mock_open()()
    handle.seek(0)
    handle.fileno()
    with pytest.raises(AttributeError):
        handle.not_a_file_method  # noqa: B018


def test_an_existing_mock_is_configured_in_place() -> None:
    existing = MagicMock()
    opener = mock_open(existing, read_data="x")
    assert opener is existing
    assert existing().read() == "x"


def test_the_calls_on_the_handle_are_recorded_on_open() -> None:
    opener = mock_open(read_data="data")
    with patch("builtins.open", opener), open("f", "w") as handle:
        handle.write("one")
        handle.write("two")
    assert opener.mock_calls[:4] == [
        call("f", "w"),
        call().__enter__(),
        call().write("one"),
        call().write("two"),
    ]
    handle.write.assert_has_calls([call("one"), call("two")])
