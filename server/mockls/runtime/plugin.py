"""The pytest plugin of mockls (entry point ``pytest11``): ``pytest --mockls``.

Without ``--mockls`` it only adds its options, and imports nothing but the standard library:
installing mockls changes no test run (and loading its entry points needs no pytest). With
it, before the first conftest is imported, it registers ``checks.RuntimeChecks``: mockengine
stands in for ``unittest.mock`` and ``mock``, every patch is recorded, and the run ends with a
summary section, the findings as JSON (``--mockls-report=PATH``, the schema of ``mockls check
--format json``) and the facts in pytest's cache for the editor. Under pytest-xdist each
worker sends its facts to the controller, which judges them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

PLUGIN_NAME = "mockls-run"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockls", "mockls runtime checks")
    group.addoption(
        "--mockls",
        action="store_true",
        default=False,
        help="run with mockengine as unittest.mock and report ineffective patches, patches "
        "that fail to start, leaks and AsyncMocks never awaited",
    )
    group.addoption(
        "--mockls-report",
        metavar="PATH",
        default=None,
        help="with --mockls: write the findings to PATH as JSON (as mockls check --format json)",
    )


def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Install the engine and start recording before any conftest imports ``unittest.mock``
    (pytest's own implementation, which imports the conftests, runs last)."""
    if not early_config.known_args_namespace.mockls:
        return
    from mockls.runtime.checks import RuntimeChecks  # noqa: PLC0415  (only --mockls runs)

    early_config.pluginmanager.register(RuntimeChecks(early_config), PLUGIN_NAME)
