"""The index follows the workspace: files changed outside the editor, and unsaved edits.

``shop/shipping.py`` is the code under test. Its import style decides whether the test's
``patch('shop.payments.charge')`` reaches it, so the diagnostics of the open test module show
what the server's index currently knows about ``shop/shipping.py``.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE_FIXTURE = "navigation_project"

WAIT = 30.0
"""Seconds before a wait for the server gives up: a hang guard, never an assertion on speed."""

BINDS_BY_NAME = """\
from shop.payments import charge


def ship(order):
    return charge(1)
"""

LOOKS_UP_THROUGH_THE_MODULE = """\
from shop import payments


def ship(order):
    return payments.charge(1)
"""

TEST_SHIPPING = """\
from unittest import mock

from shop.shipping import ship


@mock.patch("shop.payments.charge")
def test_ship_charges(mock_charge):
    ship(None)


@mock.patch("shop.shipping.ship")
def test_ship_is_patched(mock_ship):
    pass
"""


async def settles_at(session: Session, uri: str, codes: list[str]) -> None:
    """Wait until the latest diagnostics published for ``uri`` have exactly ``codes``."""

    def latest() -> list[str]:
        return [str(item.code) for item in session.client.diagnostics.get(uri, [])]

    async def settled() -> None:
        while latest() != codes:
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    try:
        await asyncio.wait_for(settled(), WAIT)
    except TimeoutError:
        pytest.fail(f"diagnostics stayed {latest()}, expected {codes}")


def changed_on_disk(session: Session, relative: str, text: str | None) -> None:
    """Write (or delete) a file behind the editor's back, and report it as a watcher would."""
    path = session.workspace / relative
    if text is None:
        kind = types.FileChangeType.Deleted
        path.unlink()
    else:
        kind = types.FileChangeType.Changed if path.exists() else types.FileChangeType.Created
        path.write_text(text, encoding="utf-8")
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_python_files_are_watched_when_the_client_allows(session: Session) -> None:
    await session.indexed(WAIT)  # the watchers are registered before indexing is reported
    capabilities = session.client.capabilities
    assert capabilities is not None
    assert capabilities.workspace is not None
    watched = capabilities.workspace.did_change_watched_files
    expected = (
        [
            types.Registration(
                id="mockls-python-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options={
                    "watchers": [
                        {"globPattern": "**/*.py"},
                        {"globPattern": "**/*.pyi"},
                        {"globPattern": "**/.pytest_cache/v/mockls/facts"},  # pytest --mockls
                        *(  # pytest's configuration
                            {"globPattern": f"**/{name}"}
                            for name in ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
                        ),
                        {"globPattern": "**/*", "kind": 5},  # directories created or deleted
                    ]
                },
            )
        ]
        if watched is not None and watched.dynamic_registration
        else []
    )
    assert session.client.registrations == expected


async def test_files_changed_outside_the_editor_are_indexed_again(session: Session) -> None:
    changed_on_disk(session, "shop/shipping.py", BINDS_BY_NAME)
    uri = session.open("tests/test_shipping.py", TEST_SHIPPING)
    try:
        await settles_at(session, uri, ["ineffective-patch"])

        changed_on_disk(session, "shop/shipping.py", LOOKS_UP_THROUGH_THE_MODULE)
        await settles_at(session, uri, [])

        changed_on_disk(session, "shop/shipping.py", None)
        await settles_at(session, uri, ["unresolved-patch-target"])
    finally:
        session.close(uri)
        for relative in ("shop/shipping.py", "tests/test_shipping.py"):
            if (session.workspace / relative).exists():
                changed_on_disk(session, relative, None)


async def test_unsaved_edits_of_an_open_module_count_until_it_is_closed(session: Session) -> None:
    changed_on_disk(session, "shop/shipping.py", BINDS_BY_NAME)
    test_uri = session.open("tests/test_shipping.py", TEST_SHIPPING)
    try:
        await settles_at(session, test_uri, ["ineffective-patch"])
        shipping = session.open("shop/shipping.py")

        session.replace(shipping, "from shop.payments import charge", "from shop import payments")
        session.replace(shipping, "return charge(1)", "return payments.charge(1)")
        await settles_at(session, test_uri, [])

        session.close(shipping)  # unsaved: the file on disk counts again
        await settles_at(session, test_uri, ["ineffective-patch"])
    finally:
        session.close(test_uri)
        for relative in ("shop/shipping.py", "tests/test_shipping.py"):
            if (session.workspace / relative).exists():
                changed_on_disk(session, relative, None)


TEST_EXTRAS = """\
from unittest import mock


@mock.patch("shop.extras.tools.helper")
def test_helper_is_patched(mock_helper):
    pass
"""


async def test_a_package_directory_added_and_removed_outside_the_editor(session: Session) -> None:
    extras = session.workspace / "shop" / "extras"
    uri = session.open("tests/test_extras.py", TEST_EXTRAS)
    await session.indexed(WAIT)
    try:
        await settles_at(session, uri, ["unresolved-patch-target"])

        extras.mkdir()
        (extras / "__init__.py").write_text("", encoding="utf-8")
        (extras / "tools.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
        folder_event(session, extras, types.FileChangeType.Created)  # one event for the folder
        await settles_at(session, uri, [])

        shutil.rmtree(extras)
        folder_event(session, extras, types.FileChangeType.Deleted)
        await settles_at(session, uri, ["unresolved-patch-target"])
    finally:
        session.close(uri)
        shutil.rmtree(extras, ignore_errors=True)
        changed_on_disk(session, "tests/test_extras.py", None)


def folder_event(session: Session, folder: Path, kind: types.FileChangeType) -> None:
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=folder.as_uri(), type=kind)])
    )
