"""``mockls check --fix`` / ``--diff`` / ``--unsafe-fixes``: which fixes apply, what the file
looks like after, what is reported, and that files are rewritten without losing anything."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockls.fix_application import FileChangedError, write_fixed

from .conftest import INTERPRETER_LINE

if TYPE_CHECKING:
    from conftest import CheckCommand

IMPORTS = "import unittest\nfrom unittest import mock\nfrom unittest.mock import Mock, patch\n\n\n"

SHOP = {
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "shop/__init__.py": "",
    "shop/payments.py": "def charge(card, amount):\n    return card\n",
    "shop/orders.py": (
        "from shop.payments import charge\n\n\ndef place(card):\n    return charge(card, 1)\n"
    ),
}
"""A project, for the rules whose fixes depend on what a target is."""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("body", "fixed", "summary"),
    [
        pytest.param(
            "def test_a():\n    m = Mock()\n    m(1)\n    m.assert_called_once_wtih(1)\n",
            "def test_a():\n    m = Mock()\n    m(1)\n    m.assert_called_once_with(1)\n",
            "Fixed 1 problem (0 remaining).",
            id="misspelled-assert",
        ),
        pytest.param(
            "def test_a():\n    m = Mock()\n    m.called_once_with(1)\n",
            "def test_a():\n    m = Mock()\n    m.assert_called_once_with(1)\n",
            "Fixed 1 problem (0 remaining).",
            id="prefixless-assert",
        ),
        pytest.param(
            "def test_a():\n    m = Mock()\n    m.retrun_value = 3\n    m.side_efect = None\n",
            "def test_a():\n    m = Mock()\n    m.return_value = 3\n    m.side_effect = None\n",
            "Fixed 2 problems (0 remaining).",
            id="misspelled-mock-attributes",
        ),
        pytest.param(
            "@patch('os.getcwd')\n@patch('os.getpid')\ndef test_a(mock_getcwd, mock_getpid):\n"
            "    pass\n",
            "@patch('os.getcwd')\n@patch('os.getpid')\ndef test_a(mock_getpid, mock_getcwd):\n"
            "    pass\n",
            "Fixed 1 problem (0 remaining).",
            id="patch-argument-order",
        ),
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.p = patch('os.getcwd')\n        self.p.start()\n",
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.p = patch('os.getcwd')\n        self.p.start()\n"
            "        self.addCleanup(self.p.stop)\n",
            "Fixed 1 problem (0 remaining).",
            id="patcher-not-stopped",
        ),
        pytest.param(
            "@patch('os.getcwd', autospect=True)\ndef test_a(mock_getcwd):\n    pass\n",
            "@patch('os.getcwd', autospec=True)\ndef test_a(mock_getcwd):\n    pass\n",
            "Fixed 1 problem (0 remaining).",
            id="invalid-patch-arguments-typo",
        ),
        pytest.param(
            "def test_a():\n    m = Mock()\n    m.retrun_value = 3\n"
            "    m.assert_called_once_wtih(1)\n    patch('os.getcwd').start()\n",
            "def test_a():\n    m = Mock()\n    m.return_value = 3\n"
            "    m.assert_called_once_with(1)\n    patch('os.getcwd').start()\n",
            "Fixed 2 problems (1 remaining).",
            id="a-finding-without-a-fix-remains",
        ),
        pytest.param(
            "def test_a():\n    m = Mock()\n    m.assert_called_once_with(1)\n",
            None,
            "Fixed 0 problems (0 remaining).",
            id="clean-code-is-left-alone",
        ),
        pytest.param(
            "def test_a(:\n    m = Mock()\n    m.assert_called_once_wtih(1)\n",
            None,
            "Fixed 0 problems (1 remaining).",
            id="a-module-that-does-not-compile-is-left-alone",
        ),
    ],
)
def test_fix_applies_the_safe_fixes(
    check_command: CheckCommand, tmp_path: Path, body: str, fixed: str | None, summary: str
) -> None:
    write(tmp_path, {"test_a.py": IMPORTS + body})
    result = check_command(tmp_path, "--fix")
    assert result.stderr.splitlines()[-1] == summary
    assert result.returncode == (0 if summary.endswith("(0 remaining).") else 1)
    assert (tmp_path / "test_a.py").read_text(encoding="utf-8") == IMPORTS + (fixed or body)


@pytest.mark.parametrize(
    ("files", "safe_result", "unsafe_result"),
    [
        pytest.param(
            {
                **SHOP,
                "tests/test_a.py": (
                    "from unittest.mock import patch\n\nfrom shop.orders import place\n\n\n"
                    "@patch('shop.payments.charge')\ndef test_a(mock_charge):\n    place('4242')\n"
                ),
            },
            "@patch('shop.payments.charge')",
            "@patch('shop.orders.charge')",
            id="where-to-patch-is-proved-only-by-running",
        ),
        pytest.param(
            {
                **SHOP,
                "tests/test_a.py": (
                    "from unittest.mock import patch\n\n\n@patch('shop.paymnets.charge')\n"
                    "def test_a(mock_charge):\n    pass\n"
                ),
            },
            "@patch('shop.paymnets.charge')",
            "@patch('shop.payments.charge')",
            id="a-renamed-target-is-proved-only-by-running",
        ),
        pytest.param(
            {
                **SHOP,
                "tests/test_a.py": (
                    "from unittest.mock import patch\n\n\n"
                    "@patch('shop.payments.charge', autospec=True)\ndef test_a(mock_charge):\n"
                    "    mock_charge.assert_called_once_with('4242', amout=1)\n"
                ),
            },
            "amout=1",
            "amount=1",
            id="renaming-a-keyword-changes-what-an-assertion-checks",
        ),
    ],
)
def test_unsafe_fixes_apply_only_when_asked(
    check_command: CheckCommand,
    tmp_path: Path,
    files: dict[str, str],
    safe_result: str,
    unsafe_result: str,
) -> None:
    write(tmp_path, files)
    test = tmp_path / "tests" / "test_a.py"
    safe = check_command(tmp_path, "--fix")
    assert safe.returncode == 1
    assert safe_result in test.read_text(encoding="utf-8")
    unsafe = check_command(tmp_path, "--fix", "--unsafe-fixes")
    assert unsafe_result in test.read_text(encoding="utf-8")
    assert unsafe.stderr.splitlines()[-1].startswith("Fixed 1 problem")


def test_a_second_fix_changes_nothing(check_command: CheckCommand, tmp_path: Path) -> None:
    body = (
        "class T(unittest.TestCase):\n    @patch('os.getcwd')\n    @patch('os.getpid')\n"
        "    def test_a(self, mock_getcwd, mock_getpid):\n"
        "        self.p = patch('os.sep')\n        self.p.start()\n"
        "        mock_getpid.retrun_value = 3\n        mock_getcwd.assret_called_with()\n"
    )
    write(tmp_path, {"test_a.py": IMPORTS + body})
    first = check_command(tmp_path, "--fix")
    assert (first.returncode, first.stderr) == (0, "Fixed 4 problems (0 remaining).\n")
    after_first = (tmp_path / "test_a.py").read_bytes()
    second = check_command(tmp_path, "--fix")
    assert (second.returncode, second.stderr) == (0, "Fixed 0 problems (0 remaining).\n")
    assert (tmp_path / "test_a.py").read_bytes() == after_first


def test_show_fixes_lists_what_was_applied(check_command: CheckCommand, tmp_path: Path) -> None:
    body = "def test_a():\n    m = Mock()\n    m.retrun_value = 3\n    m.side_efect = None\n"
    write(tmp_path, {"test_a.py": IMPORTS + body})
    result = check_command(tmp_path, "--fix", "--show-fixes")
    assert result.stdout == (
        "test_a.py:\n"
        "    1 x misspelled-mock-attribute: Rename to `return_value`\n"
        "    1 x misspelled-mock-attribute: Rename to `side_effect`\n"
    )


def test_show_fixes_without_fix_lists_each_findings_fixes(
    check_command: CheckCommand, tmp_path: Path
) -> None:
    body = "def test_a():\n    m = Mock()\n    m.assert_called_wtih(1)\n"
    write(tmp_path, {"test_a.py": IMPORTS + body})
    lines = check_command(tmp_path, "--show-fixes").stdout.splitlines()
    assert lines[0].startswith("test_a.py:8:7: misspelled-assert ")
    assert lines[1:] == ["    fix (safe): Rename to `assert_called_with`"]


def test_diff_prints_the_changes_and_writes_nothing(
    check_command: CheckCommand, tmp_path: Path
) -> None:
    body = "def test_a():\n    m = Mock()\n    m.retrun_value = 3\n"
    write(tmp_path, {"test_a.py": IMPORTS + body, "test_clean.py": IMPORTS})
    result = check_command(tmp_path, "--diff")
    assert result.stdout == (
        "--- a/test_a.py\n+++ b/test_a.py\n@@ -5,4 +5,4 @@\n \n def test_a():\n"
        "     m = Mock()\n-    m.retrun_value = 3\n+    m.return_value = 3\n"
    )
    assert (result.returncode, result.stderr) == (1, "Would fix 1 problem (0 remaining).\n")
    assert (tmp_path / "test_a.py").read_text(encoding="utf-8") == IMPORTS + body
    assert check_command(tmp_path, "--diff", "test_clean.py").returncode == 0


@pytest.mark.parametrize(
    ("encoded", "fixed"),
    [
        pytest.param(
            "\ufeff# ü\r\nfrom unittest.mock import Mock\r\n\r\n\r\ndef test_a():\r\n"
            "    m = Mock()\r\n    m.retrun_value = 3\r\n".encode("utf-8-sig"),
            "\ufeff# ü\r\nfrom unittest.mock import Mock\r\n\r\n\r\ndef test_a():\r\n"
            "    m = Mock()\r\n    m.return_value = 3\r\n".encode("utf-8-sig"),
            id="byte-order-mark-and-crlf",
        ),
        pytest.param(
            "# -*- coding: latin-1 -*-\n# café\nfrom unittest.mock import Mock\n\n\n"
            "def test_a():\n    m = Mock()\n    m.retrun_value = 'é'\n".encode("latin-1"),
            "# -*- coding: latin-1 -*-\n# café\nfrom unittest.mock import Mock\n\n\n"
            "def test_a():\n    m = Mock()\n    m.return_value = 'é'\n".encode("latin-1"),
            id="coding-cookie",
        ),
        pytest.param(
            b"from unittest.mock import Mock\r\rdef test_a():\r    m = Mock()\r"
            b"    m.retrun_value = 3\r",
            b"from unittest.mock import Mock\r\rdef test_a():\r    m = Mock()\r"
            b"    m.return_value = 3\r",
            id="old-mac-line-breaks",
        ),
    ],
)
def test_fix_keeps_encoding_and_line_breaks(
    check_command: CheckCommand, tmp_path: Path, encoded: bytes, fixed: bytes
) -> None:
    (tmp_path / "test_a.py").write_bytes(encoded)
    assert check_command(tmp_path, "--fix").returncode == 0
    assert (tmp_path / "test_a.py").read_bytes() == fixed


def test_fix_keeps_permissions_and_follows_symbolic_links(
    check_command: CheckCommand, tmp_path: Path
) -> None:
    real = tmp_path / "real" / "test_a.py"
    write(tmp_path, {"real/test_a.py": IMPORTS + "m = Mock()\nm.retrun_value = 3\n"})
    real.chmod(0o750)
    (tmp_path / "tests").mkdir()
    link = tmp_path / "tests" / "test_link.py"
    link.symlink_to(real)
    assert check_command(tmp_path, "--fix", "tests/test_link.py").returncode == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").endswith("m.return_value = 3\n")
    assert stat.S_IMODE(real.stat().st_mode) == 0o750
    assert sorted(path.name for path in real.parent.iterdir()) == ["test_a.py"]  # no temp left


SAVE_WHILE_FIXING = """\
import sys
from pathlib import Path
from unittest import mock

from mockls import cli

real_fix_source = cli.fix_source


def fix_then_save(*args, **kwargs):
    fixed = real_fix_source(*args, **kwargs)
    Path("test_a.py").write_text(sys.argv[1], encoding="utf-8")  # the editor saves meanwhile
    return fixed


with mock.patch.object(cli, "fix_source", side_effect=fix_then_save):
    sys.exit(cli.main(["check", "--fix", "test_a.py"]))
"""


def test_a_file_changed_while_fixing_is_left_alone(tmp_path: Path) -> None:
    """An editor saves the file after mockls read it: the fixes of the old text are dropped."""
    path = tmp_path / "test_a.py"
    write(tmp_path, {"test_a.py": IMPORTS + "m = Mock()\nm.retrun_value = 3\n"})
    saved_meanwhile = IMPORTS + "m = Mock()\nm.retrun_value = 4\n"
    result = subprocess.run(
        [sys.executable, "-c", SAVE_WHILE_FIXING, saved_meanwhile],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert path.read_text(encoding="utf-8") == saved_meanwhile
    assert INTERPRETER_LINE.sub("", result.stderr).splitlines() == [
        "mockls: warning: test_a.py changed while mockls was fixing it; left as it is",
        "Fixed 0 problems (1 remaining).",
    ]
    assert result.returncode == 1


def test_write_fixed_refuses_a_file_that_changed(tmp_path: Path) -> None:
    path = tmp_path / "test_a.py"
    path.write_bytes(b"x = 2\n")
    with pytest.raises(FileChangedError):
        write_fixed(path, b"x = 1\n", "x = 3\n")
    assert path.read_bytes() == b"x = 2\n"
    assert os.listdir(tmp_path) == ["test_a.py"]
