"""Grows without end while it is imported."""

CHUNKS = []
while True:
    CHUNKS.append(bytearray(16 << 20))
