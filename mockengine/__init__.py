"""mockengine: a stdlib-only, drop-in implementation of ``unittest.mock``.

The public surface grows with the engine; :mod:`mockengine.vocabulary` holds the named facts about
mock objects (assert methods, configuration attributes, magic methods) that tools such as the mockls
server import instead of keeping lists of their own.
"""

__all__: list[str] = []
