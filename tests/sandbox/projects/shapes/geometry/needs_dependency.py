"""A module whose dependency is not installed."""

import not_installed_anywhere  # noqa: F401
