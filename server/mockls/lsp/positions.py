"""Columns in the client's position encoding (UTF-8, UTF-16 or UTF-32 code units).

Below ``lsp/`` a column counts code points; a client counts code units of the encoding agreed
at ``initialize`` (UTF-16 unless both sides chose another). :class:`ClientColumns` converts
one text's columns both ways.
"""

from __future__ import annotations

from mockls.spans import Position
from mockls.syntax.lines import SourceLines

__all__ = ["UTF8", "UTF16", "UTF32", "ClientColumns", "code_units"]

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def code_units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` the client counts for ``text``."""
    if text.isascii() or encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        # surrogatepass: a lone surrogate (possible in text received as JSON) counts 3 bytes.
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class ClientColumns:
    """Converts the columns of one text between code points and the client's code units."""

    __slots__ = ("encoding", "lines")

    def __init__(self, lines: SourceLines, encoding: str) -> None:
        self.lines = lines
        self.encoding = encoding

    @classmethod
    def of(cls, text: str, encoding: str) -> ClientColumns:
        """The converter for ``text``."""
        return cls(SourceLines(text), encoding)

    def to_client(self, position: Position) -> Position:
        """``position`` with its column counted in the client's code units."""
        text = self.lines.line(position.line)
        prefix = text[: max(position.character, 0)]
        return Position(position.line, code_units(prefix, self.encoding))

    def from_client(self, line: int, character: int) -> Position:
        """The code-point position of a client's ``(line, character)``.

        A column inside a character (half a surrogate pair, a partial UTF-8 sequence) moves to
        the end of that character; a column past the end of the line means its end.
        """
        text = self.lines.line(line)
        if text.isascii() or self.encoding == UTF32:
            return Position(line, max(0, min(character, len(text))))
        counted = 0
        for index, char in enumerate(text):
            if counted >= character:
                return Position(line, index)
            counted += code_units(char, self.encoding)
        return Position(line, len(text))
