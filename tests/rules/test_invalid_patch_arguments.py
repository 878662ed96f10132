"""invalid-patch-arguments: what patch refuses (errors) and what it misreads (warnings)."""

from __future__ import annotations

import pytest

from mockls.rules.invalid_patch_arguments import RULE

IMPORTS = (
    "import os\nfrom unittest import mock\nfrom unittest.mock import AsyncMock, patch\n"
    "from shop import Gateway, payments\n"
)
"""Four lines: snippets start on line 4."""


def _rows(run) -> list[tuple[int, int, str, str]]:
    """``(line, column, severity, text at the span)`` for each finding."""
    lines = run.source.splitlines()
    rows = []
    for finding in run.findings:
        span = finding.span
        text = lines[span.start.line][span.start.character : span.end.character]
        rows.append((span.start.line, span.start.character, finding.severity.value, text))
    return rows


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "@patch('shop.gateway', new=Gateway(), autospec=True)\ndef test_a(): ...\n",
            [(4, 38, "error", "autospec=True")],
            id="new-and-autospec",
        ),
        pytest.param(
            "def test_a(mocker):\n"
            "    mocker.patch.object(payments, 'gateway', Gateway(), autospec=Gateway)\n",
            [(5, 56, "error", "autospec=Gateway")],
            id="positional-new-of-patch-object-via-mocker",
        ),
        pytest.param(
            "with patch('shop.gateway', Gateway(), new_callable=AsyncMock): ...\n",
            [(4, 38, "error", "new_callable=AsyncMock")],
            id="new-and-new-callable",
        ),
        pytest.param(
            "with patch('shop.gateway', new_callable=AsyncMock, autospec=False): ...\n",
            [(4, 27, "error", "new_callable=AsyncMock")],
            id="autospec-even-false-and-new-callable",
        ),
        pytest.param(
            "with patch('shop.gateway', spec=Gateway, autospec=True): ...\n",
            [(4, 41, "error", "autospec=True")],
            id="spec-and-autospec",
        ),
        pytest.param(
            "with patch('shop.gateway', spec=Gateway, spec_set=Gateway): ...\n",
            [(4, 41, "error", "spec_set=Gateway")],
            id="spec-set-object-and-spec",
        ),
        pytest.param(
            "with patch('shop.gateway', new=Gateway(), return_value=3): ...\n",
            [(4, 42, "error", "return_value=3")],
            id="configuration-next-to-new",
        ),
        pytest.param(
            "p = patch('shop.gateway', autospect=True)\nq = patch('shop.gateway', auto_spec=True)\n"
            "r = patch('shop.gateway', set_spec=True)\n",
            [
                (4, 26, "error", "autospect"),
                (5, 26, "error", "auto_spec"),
                (6, 26, "error", "set_spec"),
            ],
            id="spec-typos-patch-refuses",
        ),
        pytest.param(
            "p = patch('shop.gateway', spec_Set=True)\n"
            "q = patch('shop.gateway', new_calable=list)\n"
            "r = mock.patch.object(payments, 'gateway', creat=True)\n"
            "s = patch('shop.gateway', autospect=True, unsafe=True)\n",
            [
                (4, 26, "warning", "spec_Set"),
                (5, 26, "warning", "new_calable"),
                (6, 43, "warning", "creat"),
                (7, 26, "warning", "autospect"),
            ],
            id="silent-typos",
        ),
        pytest.param(
            "a = patch.dict(os.environ, 'HOME', '/tmp')\nb = patch.dict(os.environ, clear='yes')\n"
            "c = patch.dict(os.environ, {}, '')\nd = patch.dict(os.environ, claer=True)\n",
            [
                (4, 35, "warning", "'/tmp'"),
                (5, 27, "warning", "clear='yes'"),
                (6, 31, "warning", "''"),
                (7, 27, "warning", "claer"),
            ],
            id="patch-dict",
        ),
    ],
)
def test_invalid_arguments_are_found(
    run_rule, body: str, expected: list[tuple[int, int, str, str]]
) -> None:
    run = run_rule(RULE, IMPORTS + body)
    assert _rows(run) == expected
    assert {finding.code for finding in run.findings} <= {"invalid-patch-arguments"}


def test_misspelled_keywords_are_renamed(run_rule) -> None:
    body = (
        "p = patch('shop.gateway', spec_Set=True)\n"
        "q = mock.patch.object(payments, 'gateway', new_calable=list)\n"
        "d = patch.dict(os.environ, claer=True)\n"
    )
    run = run_rule(RULE, IMPORTS + body)
    assert run.renames() == [
        (4, 26, ("spec_set",)),
        (5, 43, ("new_callable",)),
        (6, 27, ("clear",)),
    ]
    assert run.fixed() == IMPORTS + (
        "p = patch('shop.gateway', spec_set=True)\n"
        "q = mock.patch.object(payments, 'gateway', new_callable=list)\n"
        "d = patch.dict(os.environ, clear=True)\n"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            "p = patch('shop.gateway', new=Gateway(), autospec=True)\n",
            "patch refuses `autospec` together with `new` (TypeError when the patch starts: "
            "autospec creates the mock for you); drop `autospec`, or drop `new` and configure "
            "the autospecced mock",
            id="refused",
        ),
        pytest.param(
            "p = patch('shop.gateway', spec_Set=True)\n",
            "`spec_Set` is not a parameter of `patch`; did you mean `spec_set`? (patch silently "
            "gives the mock an attribute of that name instead)",
            id="silent-typo",
        ),
        pytest.param(
            "p = patch('shop.gateway', autospect=True)\n",
            "`autospect` is not a parameter of `patch`; did you mean `autospec`? (recent "
            "Pythons refuse it with RuntimeError; older ones silently give the mock an "
            "attribute of that name)",
            id="refused-typo",
        ),
        pytest.param(
            "p = patch.dict(os.environ, 'HOME', '/tmp')\n",
            "`clear` takes a bool, but gets '/tmp', which acts as True: patch.dict empties the "
            "whole dictionary first; values to set go in the second argument (a dict) or as "
            "keywords",
            id="non-bool-clear",
        ),
    ],
)
def test_messages_say_what_patch_does(run_rule, body: str, message: str) -> None:
    assert [finding.message for finding in run_rule(RULE, IMPORTS + body).findings] == [message]


def test_refused_combinations_point_at_the_other_argument(run_rule) -> None:
    body = "p = patch('shop.gateway', new=Gateway(), autospec=True)\n"
    (finding,) = run_rule(RULE, IMPORTS + body).findings
    assert [
        (place.span.start.line, place.span.start.character, place.message)
        for place in finding.related
    ] == [(4, 26, "`new` is given here")]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("p = patch('shop.gateway', new=Gateway())\n", id="new-without-autospec"),
        pytest.param(
            "p = patch('shop.gateway', autospec=True)\nq = patch('shop.gateway', Gateway())\n"
            "r = mock.patch.object(payments, 'gateway', Gateway())\n",
            id="autospec-alone-and-positional-new",
        ),
        pytest.param(
            "p = patch('shop.gateway', new_callable=AsyncMock)\n"
            "q = patch('shop.gateway', new_callable=AsyncMock, autospec=None)\n"
            "r = patch('shop.gateway', new=mock.DEFAULT, autospec=True)\n"
            "s = patch('shop.gateway', new=Gateway(), autospec=False)\n",
            id="none-false-and-default-are-not-given",
        ),
        pytest.param(
            "p = patch('shop.gateway', spec=True, spec_set=True)\n"
            "q = patch('shop.gateway', autospec=True, spec_set=True)\n",
            id="spec-set-true-is-a-flag",
        ),
        pytest.param(
            "p = patch('shop.gateway', return_value=3, side_effect=None, name='g', wraps=None)\n"
            "q = patch('shop.gateway', created=1, specs=[], news=2, creator=3)\n"
            "r = patch('shop.gateway', create=True, spec_set=Gateway, unsafe=True)\n",
            id="configuration-and-real-parameters",
        ),
        pytest.param(
            "a = patch.dict(os.environ, {'HOME': '/tmp'}, clear=True)\n"
            "b = patch.dict(os.environ, CLEAR='1', value='2', HOME='/tmp')\n"
            "c = patch.dict(os.environ, clear=1)\nd = patch.dict(os.environ, {}, False)\n",
            id="patch-dict-values-and-flags",
        ),
        pytest.param(
            "p = patch('shop.gateway', retrun_value=3)\n",
            id="configuration-typos-are-the-other-rule",
        ),
        pytest.param(
            "p = patch.multiple('shop', gateway=mock.DEFAULT, autospect=mock.DEFAULT)\n",
            id="patch-multiple-keywords-name-attributes",
        ),
    ],
)
def test_valid_arguments_give_nothing(run_rule, body: str) -> None:
    assert run_rule(RULE, IMPORTS + body).findings == []
