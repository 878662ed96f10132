"""A module whose import fails: a lookup site in it cannot be looked at."""

raise ImportError("store.broken_lookup needs a database")
