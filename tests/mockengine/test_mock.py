"""``Mock``: children, return values, side effects, wrapping, names, and what gets recorded."""

from __future__ import annotations

import pytest

import mockengine
from mockengine import DEFAULT, MagicMock, Mock, NonCallableMock, call, sentinel


def test_attributes_are_child_mocks_created_once() -> None:
    mock = Mock()
    assert isinstance(mock.client, Mock)
    assert mock.client is mock.client
    assert mock.client is not mock.server


def test_the_return_value_is_one_shared_mock_until_configured() -> None:
    mock = Mock()
    assert mock() is mock() is mock.return_value
    mock.return_value = sentinel.value
    assert mock() is sentinel.value


def test_keyword_arguments_configure_the_mock() -> None:
    mock = Mock(return_value=3, **{"client.get.return_value": "page", "name_of_child": 1})
    assert mock() == 3
    assert mock.client.get() == "page"
    assert mock.name_of_child == 1


def test_configure_mock_sets_dotted_attributes() -> None:
    mock = Mock()
    mock.configure_mock(**{"a.b.return_value": 5, "a.c": 6})
    assert mock.a.b() == 5
    assert mock.a.c == 6


@pytest.mark.parametrize("effect", [ValueError, ValueError("bad")])
def test_an_exception_side_effect_is_raised(effect: object) -> None:
    mock = Mock(side_effect=effect)
    with pytest.raises(ValueError):  # noqa: PT011
        mock()
    assert mock.call_count == 1


def test_an_iterable_side_effect_gives_one_value_per_call_then_stop_iteration() -> None:
    mock = Mock(side_effect=[1, KeyError("k"), 3])
    assert mock() == 1
    with pytest.raises(KeyError):
        mock()
    assert mock() == 3
    with pytest.raises(StopIteration):
        mock()


def test_a_callable_side_effect_is_called_with_the_arguments() -> None:
    mock = Mock(side_effect=lambda x, y=0: x + y, return_value="unused")
    assert mock(2, y=3) == 5


def test_a_side_effect_returning_default_gives_the_return_value() -> None:
    mock = Mock(side_effect=lambda: DEFAULT, return_value=4)
    assert mock() == 4


def test_wraps_passes_calls_and_attributes_through() -> None:
    class Real:
        def double(self, x: int) -> int:
            return 2 * x

    real = Real()
    mock = Mock(wraps=real)
    assert mock.double(4) == 8
    mock.double.assert_called_once_with(4)
    with pytest.raises(AttributeError):
        mock.missing  # noqa: B018
    mock.double.return_value = 0
    assert mock.double(4) == 0


def test_repr_names_the_mock_by_its_path() -> None:
    mock = Mock(name="client")
    assert repr(mock).startswith("<Mock name='client' id=")
    assert "name='client.session().get'" in repr(mock.session().get)
    assert "name=" not in repr(Mock())
    assert "name='mock.child'" in repr(Mock().child)


def test_calls_are_recorded_in_call_args_and_up_the_parents() -> None:
    mock = Mock()
    mock.client.get("/a")
    mock.client.get("/b", timeout=1)
    mock(1)
    mock.client().close()

    get = mock.client.get
    assert get.called
    assert get.call_count == 2
    assert get.call_args == call("/b", timeout=1)
    assert get.call_args_list == [call("/a"), call("/b", timeout=1)]
    assert mock.mock_calls == [
        call.client.get("/a"),
        call.client.get("/b", timeout=1),
        call(1),
        call.client(),
        call.client().close(),
    ]
    # method_calls follow attributes only, not return values.
    assert mock.method_calls == [
        call.client.get("/a"),
        call.client.get("/b", timeout=1),
        call.client(),
    ]


def test_a_mock_given_a_parent_records_its_calls_there() -> None:
    parent = Mock()
    child = Mock(parent=parent, return_value=None)
    child(1)
    assert parent.mock_calls == [call(1)]


def test_attach_mock_makes_a_mock_a_recorded_child() -> None:
    parent = MagicMock()
    child = Mock(return_value=None)
    parent.attach_mock(child, "child")
    child(1)
    assert parent.mock_calls == [call.child(1)]
    assert "name='mock.child'" in repr(child)


def test_assigning_an_unnamed_mock_adopts_it_but_not_a_named_one() -> None:
    parent = Mock()
    parent.adopted = Mock()
    parent.named = Mock(name="own")
    parent.adopted()
    parent.named()
    assert parent.mock_calls == [call.adopted()]


def test_reset_mock_forgets_calls_and_optionally_the_configuration() -> None:
    mock = Mock(return_value=1, side_effect=[2])
    mock.child(3)
    mock.reset_mock()
    assert mock.mock_calls == []
    assert mock.child.call_count == 0
    assert mock.return_value == 1
    mock.reset_mock(return_value=True, side_effect=True)
    assert isinstance(mock.return_value, Mock)
    assert mock.side_effect is None


def test_reset_mock_survives_a_mock_that_returns_itself() -> None:
    mock = Mock()
    mock.return_value = mock
    mock()
    mock.reset_mock()
    assert mock.call_count == 0


def test_a_deleted_attribute_stays_missing() -> None:
    mock = Mock()
    del mock.gone
    with pytest.raises(AttributeError):
        mock.gone  # noqa: B018
    with pytest.raises(AttributeError):
        del mock.gone
    mock.gone = 1
    assert mock.gone == 1


def test_dir_lists_the_api_and_children_unless_filter_dir_is_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mock = Mock()
    mock.child  # noqa: B018
    names = dir(mock)
    assert {"assert_called_once_with", "child", "return_value"} <= set(names)
    assert "_mock_children" not in names
    monkeypatch.setattr(mockengine, "FILTER_DIR", False)
    assert "_mock_children" in dir(mock)


def test_non_callable_mock_cannot_be_called() -> None:
    with pytest.raises(TypeError):
        NonCallableMock()()


def test_get_child_mock_is_the_hook_subclasses_use() -> None:
    class Recording(Mock):
        made: list[str] = []  # noqa: RUF012

        def _get_child_mock(self, /, **kwargs: object) -> Mock:
            self.made.append(str(kwargs.get("_new_name")))
            return Mock(**kwargs)

    mock = Recording()
    assert not isinstance(mock.child, Recording)
    mock()
    assert Recording.made == ["child", "()"]


def test_subclasses_make_children_of_their_own_class() -> None:
    class Custom(Mock):
        pass

    assert isinstance(Custom().child, Custom)
    assert isinstance(Custom()(), Custom)
