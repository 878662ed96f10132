"""A module that fails while it is imported."""

raise RuntimeError("geometry.broken cannot be imported\nsecond line")
