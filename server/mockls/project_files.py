"""Reading a project's declaration files (``pyproject.toml``, ``setup.cfg``, ``tox.ini``,
``pytest.ini``) for what mockls needs of them, never failing: a file that is missing or cannot
be read declares nothing (the settings' loading tells the user about a broken
``pyproject.toml``; the others are logged)."""

from __future__ import annotations

import configparser
import logging
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["read_ini_section", "read_toml", "toml_value"]

log = logging.getLogger(__name__)


def read_toml(path: Path) -> dict[str, object] | None:
    """The TOML document at ``path``; ``None`` when it is missing or cannot be read."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as stream:
            document: dict[str, object] = tomllib.load(stream)
            return document
    except (OSError, ValueError, RecursionError) as error:  # TOMLDecodeError is a ValueError
        log.debug("cannot read %s: %s", path, error)
        return None


def toml_value(document: object, *keys: str) -> object:
    """``document[k1][k2]...``, or ``None`` where a level is missing or not a table."""
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def read_ini_section(path: Path, section: str) -> dict[str, str] | None:
    """The ``[section]`` of the ini file at ``path``; ``None`` when the file or the section is
    missing, or the file cannot be read."""
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        log.warning("cannot read %s: %s", path, error)
        return None
    return dict(parser.items(section)) if parser.has_section(section) else None
