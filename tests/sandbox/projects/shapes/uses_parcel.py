"""Imports a third-party library from the interpreter's site-packages."""

from parcel import ship

__all__ = ["ship"]
