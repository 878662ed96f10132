"""``patch`` and its variants, enough for the mocks this part builds (issue 6 covers the rest)."""

from __future__ import annotations

import os

import pytest

import mockengine
from mockengine import DEFAULT, MagicMock, patch, sentinel

SETTINGS = {"mode": "real"}


class Service:
    def run(self, job: str) -> str:
        return f"ran {job}"


def test_patch_replaces_and_restores_a_named_object() -> None:
    original = os.getcwd
    with patch("os.getcwd", return_value="/mocked") as mocked:
        assert os.getcwd() == "/mocked"
        assert isinstance(mocked, MagicMock)
    assert os.getcwd is original


def test_patch_as_decorator_passes_the_mock_in() -> None:
    @patch.object(Service, "run", return_value="mocked")
    def check(run: MagicMock) -> None:
        assert Service().run("x") == "mocked"
        run.assert_called_once_with("x")

    check()
    assert Service().run("x") == "ran x"


def test_autospec_patch_checks_signatures() -> None:
    with patch.object(Service, "run", autospec=True) as run:
        Service().run("job")
        with pytest.raises(TypeError):
            Service().run()
    run.assert_called_once()


def test_patch_multiple_and_patch_dict() -> None:
    with patch.multiple(Service, run=DEFAULT, extra=sentinel.extra, create=True) as mocks:
        assert set(mocks) == {"run"}
        assert Service.extra is sentinel.extra  # type: ignore[attr-defined]
    with patch.dict(SETTINGS, mode="test"):
        assert SETTINGS == {"mode": "test"}
    assert SETTINGS == {"mode": "real"}


def test_start_stop_and_stopall() -> None:
    patcher = patch.object(Service, "run")
    patcher.start()
    with pytest.raises(RuntimeError):
        patcher.start()
    patch.stopall()
    assert Service().run("x") == "ran x"


def test_patch_refuses_misspelled_options() -> None:
    with pytest.raises(RuntimeError, match="'autospect' might be a typo"):
        patch.object(Service, "run", autospect=True)


def test_patch_is_the_public_one() -> None:
    assert mockengine.patch is patch
