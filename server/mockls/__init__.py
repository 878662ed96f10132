"""mockls: a language server and linter for ``unittest.mock`` mistakes.

PYTEST_DONT_REWRITE: not test code (see ``mockengine``'s docstring).
"""

__version__ = "0.1.0"
