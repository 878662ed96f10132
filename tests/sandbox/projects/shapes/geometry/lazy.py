"""A module with a module-level ``__getattr__``."""


def __getattr__(name):
    if name == "computed":
        raise ValueError("cannot compute")
    raise AttributeError(f"module 'geometry.lazy' has no attribute {name!r}")
