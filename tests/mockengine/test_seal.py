"""``seal``: a mock that stops growing attributes."""

from __future__ import annotations

import pytest

from mockengine import Mock, seal


def test_a_sealed_mock_refuses_new_attributes_but_keeps_existing_ones() -> None:
    mock = Mock()
    mock.client.get.return_value = 1
    seal(mock)
    assert mock.client.get() == 1
    with pytest.raises(AttributeError, match=r"^mock\.client\.post$"):
        mock.client.post  # noqa: B018
    with pytest.raises(AttributeError, match=r"^mock\.other$"):
        mock.other  # noqa: B018
    with pytest.raises(AttributeError, match=r"Cannot set mock\.extra"):
        mock.extra = 1


def test_seal_leaves_mocks_from_elsewhere_alone() -> None:
    outside = Mock()
    mock = Mock()
    mock.named = Mock(name="named")
    mock.named.attribute  # noqa: B018
    seal(mock)
    assert outside.anything is not None
    assert mock.named.other is not None
