"""A package whose ``__init__`` re-exports a class from a submodule."""

from geometry.figures import Circle

VERSION = "1.0"

__all__ = ["VERSION", "Circle"]
