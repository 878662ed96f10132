"""Start the mockls language server for the VS Code extension.

Puts the extension's bundled libraries (``bundled/libs``: mockls and its dependencies) on
``sys.path`` according to ``MOCKLS_IMPORT_STRATEGY`` and runs the ``mockls`` command with this
script's arguments. ``useBundled`` (the default) puts them first; ``fromEnvironment`` uses the
mockls installed in this interpreter's environment and falls back to the bundled copy.
Runs on any Python 3.6+, so that an old one gets a clear message instead of a syntax error.
"""

import os
import sys

MINIMUM_PYTHON = (3, 10)
BUNDLED_LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")


def _say(message):
    sys.stderr.write("mockls: " + message + "\n")
    sys.stderr.flush()


def _use_environment_first():
    """Whether the interpreter's own mockls is to be used (``fromEnvironment``) and exists."""
    strategy = os.environ.get("MOCKLS_IMPORT_STRATEGY", "useBundled")
    if strategy not in ("useBundled", "fromEnvironment"):
        _say(f"unknown import strategy {strategy!r}; using the bundled mockls")
        return False
    if strategy == "useBundled":
        return False
    try:
        import mockls  # noqa: F401, PLC0415  (only asking whether the environment has it)
    except ImportError:
        _say(f"mockls is not installed for {sys.executable}; using the bundled copy")
        return False
    return True


def main():
    if sys.version_info[:2] < MINIMUM_PYTHON:
        minimum = ".".join(map(str, MINIMUM_PYTHON))
        found = sys.version.split()[0]
        _say(f"the server needs Python {minimum} or later; {sys.executable} is Python {found}")
        return 3
    if _use_environment_first():
        sys.path.append(BUNDLED_LIBS)
    else:
        sys.path.insert(0, BUNDLED_LIBS)
    from mockls.cli import main as mockls_main  # noqa: PLC0415  (sys.path is only ready now)

    return mockls_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
