"""mockengine.install() / uninstall(), each scenario in a fresh interpreter of its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mockengine

ROOT = Path(mockengine.__file__).resolve().parent.parent

SCENARIOS = {
    "every_import_form_gets_mockengine_after_install": """
        import mockengine
        mockengine.install()
        import unittest.mock
        from unittest import mock as from_unittest
        import mock
        from unittest.mock import patch, MagicMock
        import unittest.mock as aliased
        assert unittest.mock is mockengine
        assert from_unittest is mockengine and mock is mockengine and aliased is mockengine
        assert patch is mockengine.patch and MagicMock is mockengine.MagicMock
    """,
    "code_imported_before_keeps_the_real_module": """
        import unittest.mock
        real = unittest.mock
        from unittest.mock import Mock as RealMock
        import mockengine
        mockengine.install()
        from unittest.mock import Mock
        assert RealMock is real.Mock and Mock is mockengine.Mock
        assert real is not mockengine
    """,
    "uninstall_restores_exactly_what_was_there": """
        import sys, types, unittest.mock
        real = unittest.mock
        backport = types.ModuleType("mock")
        sys.modules["mock"] = backport
        import mockengine
        mockengine.install()
        assert sys.modules["unittest.mock"] is mockengine and sys.modules["mock"] is mockengine
        mockengine.uninstall()
        assert sys.modules["unittest.mock"] is real and unittest.mock is real
        assert sys.modules["mock"] is backport
    """,
    "uninstall_removes_what_was_absent": """
        import sys, unittest
        assert "unittest.mock" not in sys.modules and "mock" not in unittest.__dict__
        import mockengine
        mockengine.install()
        mockengine.uninstall()
        assert "unittest.mock" not in sys.modules and "mock" not in sys.modules
        assert "mock" not in unittest.__dict__
        import unittest.mock  # the real one imports as usual afterwards
        assert unittest.mock is not mockengine and unittest.mock.Mock is not mockengine.Mock
    """,
    "install_and_uninstall_are_idempotent": """
        import sys, unittest.mock
        real = unittest.mock
        import mockengine
        mockengine.uninstall()
        assert sys.modules["unittest.mock"] is real
        mockengine.install()
        mockengine.install()
        assert sys.modules["unittest.mock"] is mockengine
        mockengine.uninstall()
        assert sys.modules["unittest.mock"] is real and unittest.mock is real
        mockengine.uninstall()
        assert sys.modules["unittest.mock"] is real and "mock" not in sys.modules
    """,
    "a_test_run_after_install_uses_mockengine": """
        import mockengine
        mockengine.install()
        import unittest

        class Test(unittest.TestCase):
            @unittest.mock.patch("os.getcwd", return_value="/x")
            def test_cwd(self, getcwd):
                import os
                self.assertEqual(os.getcwd(), "/x")
                self.assertIs(type(getcwd).__mro__[1], mockengine.MagicMock)

        result = unittest.TextTestRunner(verbosity=0).run(
            unittest.defaultTestLoader.loadTestsFromTestCase(Test)
        )
        assert result.wasSuccessful()
    """,
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_installation(name: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCENARIOS[name])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
