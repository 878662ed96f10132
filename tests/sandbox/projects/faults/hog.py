"""Asks for 4 GiB at once while it is imported."""

DATA = bytearray(4 << 30)
