"""Shared typo logic: which names are slips of which, and what a mock's spec is known to have."""

from __future__ import annotations

import pytest

from mockengine import vocabulary
from mockls.analysis.model import (
    Argument,
    AttributeUse,
    LocalClass,
    MockBinding,
    MockFactory,
    ModuleModel,
    SpecKind,
    UseKind,
)
from mockls.analysis.spelling import (
    MockShape,
    NamesSetByTest,
    SpecState,
    looks_like_assertion,
    misspelling_cost,
    preferred_suggestions,
    prefixless_assertions,
    shape_of,
    suggestions,
)
from mockls.spans import Span

CONFIGURATION = vocabulary.CONFIGURATION_ATTRIBUTES | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # one slip: swapped, missing, extra or neighbouring-key letters
        ("retrun_value", ("return_value",)),
        ("return_valeu", ("return_value",)),
        ("side_efect", ("side_effect",)),
        ("side_effects", ("side_effect",)),
        ("call_args_lsit", ("call_args_list",)),
        ("call_cont", ("call_count",)),
        ("mock_call", ("mock_calls",)),
        ("caled", ("called",)),
        ("call_argz", ("call_args",)),
        # two slips in two words of a long name
        ("retrun_valeu", ("return_value",)),
        # case and underscores only
        ("sideeffect", ("side_effect",)),
        ("ReturnValue", ("return_value",)),
        # a known word confusion
        ("side_affect", ("side_effect",)),
        # not slips: other words, added words, a wrong first letter, far-away keys
        ("returns", ()),
        ("called_by", ()),
        ("side", ()),
        ("mock_calls_total", ()),
        ("call_counter", ()),
        ("caller", ()),
        ("calls", ()),
        ("cell_count", ()),
        ("all_args", ()),
        ("return_val", ()),
        ("calledd", ()),
    ],
)
def test_configuration_typos(typed: str, expected: tuple[str, ...]) -> None:
    assert suggestions(typed, CONFIGURATION) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("assert_called_once_wtih", ("assert_called_once_with",)),
        ("assret_called_with", ("assert_called_with",)),
        ("asert_called", ("assert_called",)),
        ("aseert_called_once_with", ("assert_called_once_with",)),
        ("assrt_not_called", ("assert_not_called",)),
        ("assret_called_onec", ("assert_called_once",)),
        ("assert_called_onec", ("assert_called_once",)),
        ("assert_has_call", ("assert_has_calls",)),
        ("asssert_called_with", ("assert_called_with",)),
        ("assert_called_with_once", ("assert_called_once_with",)),
        ("assertCalledOnceWith", ("assert_called_once_with",)),
        ("assert_awaited_onec", ("assert_awaited_once",)),
        ("assert_called_twice", ()),
        ("assert_not_called_with", ()),
    ],
)
def test_assertion_typos(typed: str, expected: tuple[str, ...]) -> None:
    assert suggestions(typed, vocabulary.ASSERT_METHODS) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("autospect", ("autospec",)),
        ("auto_spec", ("autospec",)),
        ("set_spec", ("spec_set",)),
        ("spec_Set", ("spec_set",)),
        ("new_calable", ("new_callable",)),
        ("creat", ("create",)),
        ("sepc", ("spec",)),
        ("created", ()),
        ("specs", ()),
        ("news", ()),
        ("name", ()),
        ("wraps", ()),
    ],
)
def test_patch_parameter_typos(typed: str, expected: tuple[str, ...]) -> None:
    assert suggestions(typed, vocabulary.PATCH_PARAMETERS) == expected


def test_the_same_name_is_no_misspelling() -> None:
    assert misspelling_cost("return_value", "return_value") is None
    assert misspelling_cost("", "return_value") is None


def test_ties_are_all_suggested_in_order() -> None:
    assert suggestions("spam_eggs", ["spam_eggsx", "spam_egg", "ham"]) == ("spam_egg", "spam_eggsx")


@pytest.mark.parametrize(
    ("typed", "is_async", "expected"),
    [
        ("assert_awaited_onec", False, ("assert_awaited_once",)),  # clearly an await
        ("assert_called_onec", False, ("assert_called_once",)),
        ("assert_called_onec", True, ("assert_called_once",)),
        ("awiat_count", False, ("await_count",)),
    ],
)
def test_async_names_compete_when_the_mock_is_async_or_they_clearly_win(
    typed: str, is_async: bool, expected: tuple[str, ...]
) -> None:
    usual = vocabulary.SYNC_ASSERT_METHODS | vocabulary.CONFIGURATION_ATTRIBUTES
    unusual = vocabulary.ASYNC_ASSERT_METHODS | vocabulary.ASYNC_CONFIGURATION_ATTRIBUTES
    assert preferred_suggestions(typed, usual, unusual, unusual_fits=is_async) == expected


def test_a_tie_goes_to_the_usual_name_unless_the_mock_is_async() -> None:
    assert preferred_suggestions("spam_egg", ["spam_eggs"], ["spam_eggz"], unusual_fits=False) == (
        "spam_eggs",
    )
    assert preferred_suggestions("spam_egg", ["spam_eggs"], ["spam_eggz"], unusual_fits=True) == (
        "spam_eggs",
        "spam_eggz",
    )


def test_prefixless_assertions() -> None:
    assert prefixless_assertions(is_async=False) == vocabulary.PREFIXLESS_ASSERTIONS
    assert prefixless_assertions(is_async=True) - vocabulary.PREFIXLESS_ASSERTIONS == {
        "any_await",
        "awaited",
        "awaited_once",
        "awaited_once_with",
        "awaited_with",
        "has_awaits",
        "not_awaited",
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("assert_foo", True),
        ("assret_called", True),
        ("called_once_with", True),
        ("not_awaited", True),
        ("return_value", False),
        ("called", False),
    ],
)
def test_looks_like_assertion(name: str, expected: bool) -> None:
    assert looks_like_assertion(name) is expected


# --- what the mock has ------------------------------------------------------------------------

SPAN = Span.of(0, 0, 0, 1)


def _binding(
    *,
    spec: str | None = None,
    spec_kind: SpecKind | None = None,
    factory: MockFactory = MockFactory.MOCK_CLASS,
    mock_class: str | None = "Mock",
    configured: frozenset[str] = frozenset(),
) -> MockBinding:
    return MockBinding(
        name="m",
        span=SPAN,
        scope="<module>",
        factory=factory,
        mock_class=mock_class,
        spec=None if spec is None else Argument(spec, SPAN),
        spec_kind=spec_kind,
        configured=configured,
    )


MODEL = ModuleModel(
    classes={
        "Repo": LocalClass("Repo", frozenset({"save", "called_with"}), complete=True),
        "Partial": LocalClass("Partial", frozenset({"save"}), complete=False),
    }
)


@pytest.mark.parametrize(
    ("binding", "chain", "expected"),
    [
        pytest.param(
            _binding(), ("x",), MockShape(SpecState.ABSENT, frozenset(), False), id="no-spec"
        ),
        pytest.param(
            _binding(spec="Repo", spec_kind=SpecKind.SPEC),
            ("x",),
            MockShape(SpecState.KNOWN, frozenset({"save", "called_with"}), False, "Repo"),
            id="local-complete-class",
        ),
        pytest.param(
            _binding(spec="Partial", spec_kind=SpecKind.SPEC),
            ("x",),
            MockShape(SpecState.UNKNOWN, frozenset(), False),
            id="incomplete-class",
        ),
        pytest.param(
            _binding(spec="shop.Repo", spec_kind=SpecKind.SPEC_SET),
            ("x",),
            MockShape(SpecState.UNKNOWN, frozenset(), False),
            id="imported-class",
        ),
        pytest.param(
            _binding(spec="Repo", spec_kind=SpecKind.SPEC),
            ("save", "x"),
            MockShape(SpecState.ABSENT, frozenset(), False),
            id="children-of-spec-have-none",
        ),
        pytest.param(
            _binding(spec="Repo", spec_kind=SpecKind.AUTOSPEC, factory=MockFactory.AUTOSPEC),
            ("save", "x"),
            MockShape(SpecState.UNKNOWN, frozenset(), False),
            id="children-of-autospec-have-one",
        ),
        pytest.param(
            _binding(spec="Repo", spec_kind=SpecKind.SPEC, factory=MockFactory.PATCH),
            ("return_value", "x"),
            MockShape(SpecState.UNKNOWN, frozenset(), False),
            id="patch-gives-the-instance-the-spec",
        ),
        pytest.param(
            _binding(mock_class="AsyncMock"),
            ("a", "b"),
            MockShape(SpecState.ABSENT, frozenset(), True),
            id="async",
        ),
    ],
)
def test_shape_of(binding: MockBinding, chain: tuple[str, ...], expected: MockShape) -> None:
    use = AttributeUse(binding=binding, chain=chain, span=SPAN, kind=UseKind.LOAD)
    assert shape_of(MODEL, use) == expected


def test_names_set_by_the_test() -> None:
    binding = _binding(configured=frozenset({"not_called", "a.b"}))
    other = MockBinding(name="n", span=SPAN, scope="<module>", factory=MockFactory.MOCK_CLASS)
    uses = (
        AttributeUse(binding, ("has_calls", "return_value"), SPAN, UseKind.STORE),
        AttributeUse(other, ("called_with",), SPAN, UseKind.STORE),
    )
    model = ModuleModel(bindings=(binding, other), attribute_uses=uses)
    names = NamesSetByTest(model)

    def set_here(owner: MockBinding, *chain: str) -> bool:
        return names.contains(AttributeUse(owner, chain, SPAN, UseKind.CALL))

    assert set_here(binding, "has_calls")
    assert set_here(binding, "has_calls", "return_value")
    assert set_here(binding, "not_called")
    assert set_here(binding, "a")
    assert set_here(binding, "a", "b")
    assert not set_here(binding, "called_with")  # set on another mock
    assert set_here(other, "called_with")
    assert not set_here(binding, "x", "has_calls")
