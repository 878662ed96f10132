"""mockls: a language server and linter for ``unittest.mock`` mistakes."""

__version__ = "0.1.0"
