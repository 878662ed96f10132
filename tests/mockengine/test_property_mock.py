"""``PropertyMock``: a mock that stands for a property."""

from __future__ import annotations

from mockengine import MagicMock, PropertyMock, call


def test_reading_and_setting_the_property_call_the_mock() -> None:
    class Config:
        pass

    size = PropertyMock(return_value=3)
    type(config := Config()).size = size  # type: ignore[attr-defined]
    assert config.size == 3  # type: ignore[attr-defined]
    config.size = 5  # type: ignore[attr-defined]
    assert size.mock_calls == [call(), call(5)]


def test_children_are_magic_mocks_and_attach_does_not_call_it() -> None:
    mock = MagicMock()
    prop = PropertyMock()
    type(mock).value = prop
    mock.attach_mock(prop, "value")
    assert mock.mock_calls == []
    assert isinstance(prop.child, MagicMock)
