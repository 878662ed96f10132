"""No rule raises on any input, and every finding points inside the text it was found in.

The rules run with the ``where_to_patch`` fixture project (and, for the rules that read how
the code under test uses a name, ``silent_mistakes``), the text being its module
``tests/test_snippet.py``, so the rules that resolve targets run too.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockls.analysis.builder import build_model
from mockls.fixes.edits import apply_edits
from mockls.resolve.project import Project, ProjectFile
from mockls.rules import ALL_RULES, RuleContext
from mockls.spans import LineIndex
from mockls.syntax.lines import SourceLines

CORPUS = """\
import unittest
from unittest import mock
from unittest.mock import AsyncMock, MagicMock, Mock, patch

from shop.orders import OrderService


class Repo:
    def save(self, order): ...


class T(unittest.TestCase):
    def setUp(self):
        self.p = mock.patch("shop.orders.refund")
        self.refund = self.p.start()
        patch("shop.a").start()

    @patch("shop.orders.send_receipt")
    @patch.object(Repo, "save", new=Mock(), autospec=True)
    @patch("shop.orders.charge", autospect=True, spec_Set=1)
    def test_a(self, mock_send_receipt: MagicMock, mock_charge=None):
        mock_charge.assert_called_once_wtih(1)
        mock_send_receipt.retrun_value.side_efect = KeyError()
        repo = Mock(spec=Repo, side_affect=1)
        repo.save.called_once_with(2)
        repo.save(1, 2)
        with patch.dict("os.environ", "HOME", "/tmp"), patch("x", new_callable=AsyncMock) as am:
            am.assert_awaited_onec()
            assert am.await_cont


def test_b(mocker):
    m = mocker.patch("shop.b", new=1, return_value=2)
    m.configure_mock(**{"a.retrun_value": 3})
    m.has_calls([])
    mocker.patch("shop.payments.charge")
"""

SILENT_CORPUS = """\
import pytest
from unittest import mock
from unittest.mock import PropertyMock, patch
import app.net, app.service
from app.api import Client


@pytest.fixture
@patch("app.api.Client")
def client(mock_client):
    mock_client.get.return_value = "x"
    return mock_client


@patch("app.notify.send_welcome")
def test_a(m):
    m.assert_called_once_with("ann")
    m.call_count = 0


@patch("app.settings.TIMEOUT", 1)
def test_b(mocker):
    with mocker.patch.object(Client, "fetch"):
        pass
    c = mock.Mock()
    c.healthy = PropertyMock(return_value=True)
"""
"""A test module of ``silent_mistakes`` with something for each rule that reads the code
under test."""

_NOISE = st.sampled_from([*"()[]{}:.,=@'\"\n \t#\\*", "patch(", ".start()", "é", "\x00"])


@st.composite
def mutated_sources(draw: st.DrawFn, corpus: str = CORPUS) -> str:
    """The corpus with a few slices cut out, duplicated, or replaced by noise."""
    text = corpus
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 40)))
        match draw(st.sampled_from(["cut", "duplicate", "noise"])):
            case "cut":
                text = text[:start] + text[end:]
            case "duplicate":
                text = text[:end] + text[start:end] + text[end:]
            case _:
                text = text[:start] + "".join(draw(st.lists(_NOISE, max_size=5))) + text[end:]
    return text


def _context(source: str, project: Project) -> RuleContext:
    assert project.root is not None
    path = project.root / "tests" / "test_snippet.py"
    project.update_file(path, source)
    return RuleContext(
        model=build_model(source),
        source=source,
        path="tests/test_snippet.py",
        lines=LineIndex(source),
        project=ProjectFile(project, path),
    )


def _check_every_rule(source: str, project: Project) -> None:
    context = _context(source, project)
    line_count = SourceLines(source).count
    for rule in ALL_RULES:
        for finding in rule.check(context):
            assert finding.code == rule.code
            assert finding.span.start <= finding.span.end
            assert finding.span.end.line < line_count
            for fix in finding.fixes:
                apply_edits(source, fix.edits)


def test_the_corpora_give_every_rule_something(
    where_to_patch: Project, silent_mistakes: Project
) -> None:
    contexts = [_context(CORPUS, where_to_patch), _context(SILENT_CORPUS, silent_mistakes)]
    found_codes = {
        rule.code for rule in ALL_RULES for context in contexts if list(rule.check(context))
    }
    assert found_codes == {rule.code for rule in ALL_RULES}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sources())
def test_no_rule_raises_on_mutated_code(where_to_patch: Project, source: str) -> None:
    _check_every_rule(source, where_to_patch)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sources(SILENT_CORPUS))
def test_no_rule_raises_on_mutated_code_of_the_code_under_test_rules(
    silent_mistakes: Project, source: str
) -> None:
    _check_every_rule(source, silent_mistakes)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_no_rule_raises_on_random_text(where_to_patch: Project, source: str) -> None:
    _check_every_rule(source, where_to_patch)


@pytest.mark.parametrize(
    "source",
    ["", "\n", "m.", "@patch(\n", "def t(:\n", "\ufeffimport mock\n", "x = '''\n", "(" * 500],
)
def test_no_rule_raises_on_odd_inputs(where_to_patch: Project, source: str) -> None:
    _check_every_rule(source, where_to_patch)
