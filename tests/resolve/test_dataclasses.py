"""Constructors of dataclasses, read from their fields the way ``@dataclass`` generates them."""

from __future__ import annotations

import importlib.util
import inspect

import pytest

from mockls.resolve.project import Project
from mockls.resolve.resolution import Resolved

from .conftest import FIXTURES

MODELS = FIXTURES / "layered" / "shop" / "models.py"


def _real_signature(class_name: str) -> str:
    """What inspect says, from the fixture module itself (plain dataclasses, safe to run)."""
    spec = importlib.util.spec_from_file_location("layered_models_for_inspect", MODELS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(inspect.signature(getattr(module, class_name)))


@pytest.mark.parametrize(
    ("class_name", "expected"),
    [
        ("Item", "(sku: str, quantity: int = 1, tags: list[str] = <factory>) -> None"),
        (
            "PricedItem",
            "(sku: str, quantity: int = 1, tags: list[str] = <factory>, price: float = 0.0, *,"
            " currency: str = 'EUR') -> None",
        ),
        (
            "SpecialItem",
            "(sku: str, quantity: int = 1, tags: list[str] = <factory>, price: float = 0.0, *,"
            " currency: str = 'EUR') -> None",
        ),
        ("Labelled", "(label)"),
        ("Options", "(*, verbose: bool = False, level: int) -> None"),
    ],
)
def test_a_dataclass_constructor_is_the_generated_one(
    layered: Project, class_name: str, expected: str
) -> None:
    resolution = layered.resolve_target(f"shop.models.{class_name}")
    assert isinstance(resolution, Resolved)
    assert resolution.signature is not None
    text = resolution.signature.text()
    assert text.replace('"', "'") == expected
    assert _real_signature(class_name) == expected
