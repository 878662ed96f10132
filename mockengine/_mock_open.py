"""``mock_open``: a mock of ``open`` whose file handle reads from given data."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from mockengine import _versions
from mockengine._magic import MagicMock
from mockengine._sentinels import DEFAULT

__all__ = ["mock_open"]

_FILE_METHODS: list[str] | None = None


def _file_spec() -> list[str]:
    """What a file handle has: the attributes of text and binary files."""
    global _FILE_METHODS  # noqa: PLW0603  (computed once, on first use)
    if _FILE_METHODS is None:
        _FILE_METHODS = sorted(set(dir(io.TextIOWrapper)) | set(dir(io.BytesIO)))
    return _FILE_METHODS


def _stream(read_data: Any) -> io.IOBase:
    return io.BytesIO(read_data) if isinstance(read_data, bytes) else io.StringIO(read_data)


class _OpenFile:
    """The data a mocked ``open`` reads, rewound each time ``open`` is called."""

    def __init__(self, handle: Any, read_data: Any) -> None:
        self.handle = handle
        self.read_data = read_data
        self.data = _stream(read_data)
        self.readline_effect = self._readlines_forever()

    def _configured(self, method: str) -> Any:
        return getattr(self.handle, method).return_value

    def read(self, *args: Any, **kwargs: Any) -> Any:
        configured = self._configured("read")
        return configured if configured is not None else self.data.read(*args, **kwargs)

    def readlines(self, *args: Any, **kwargs: Any) -> Any:
        configured = self._configured("readlines")
        return configured if configured is not None else self.data.readlines(*args, **kwargs)

    def iterate(self) -> Iterator[Any]:
        configured = self._configured("readline")
        if configured is not None:
            while True:
                yield configured
        yield from self.data

    def _readlines_forever(self) -> Iterator[Any]:
        yield from self.iterate()
        while True:
            yield self.data.readline()

    def next_line(self) -> Any:
        configured = self._configured("readline")
        return configured if configured is not None else next(self.data)

    def rewind(self, *args: Any, **kwargs: Any) -> Any:
        self.data = _stream(self.read_data)
        if self.handle.readline.side_effect is self.readline_effect:
            # Only when the test has not set its own side effect.
            self.readline_effect = self._readlines_forever()
            self.handle.readline.side_effect = self.readline_effect
        return DEFAULT


def mock_open(mock: Any = None, read_data: Any = "") -> Any:
    """A mock for ``open`` (``patch("builtins.open", mock_open(read_data="..."))``).

    The handle it returns supports ``read``, ``readline``, ``readlines``, iteration and the
    ``with`` statement over ``read_data`` (str or bytes); each call to ``open`` starts over.
    """
    if mock is None:
        # io.open is the real open even while builtins.open is patched.
        mock = MagicMock(name="open", spec=io.open)
    handle = MagicMock(spec=_file_spec())
    handle.__enter__.return_value = handle
    handle.write.return_value = None
    handle.read.return_value = None
    handle.readline.return_value = None
    handle.readlines.return_value = None

    state = _OpenFile(handle, read_data)
    handle.read.side_effect = state.read
    handle.readline.side_effect = state.readline_effect
    handle.readlines.side_effect = state.readlines
    handle.__iter__.side_effect = state.iterate
    handle.__next__.side_effect = state.next_line

    if _versions.current.mock_open_exit_closes:

        def close_on_exit(exc_type: Any, exc_value: Any, traceback: Any) -> None:
            handle.close()

        handle.__exit__.side_effect = close_on_exit
    mock.side_effect = state.rewind
    mock.return_value = handle
    return mock
