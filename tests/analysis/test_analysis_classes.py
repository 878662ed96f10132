"""Local classes: the names a class defines and whether the list is complete."""

from __future__ import annotations

import textwrap

from mockls.analysis.builder import build_model


def classes(snippet: str) -> dict[str, tuple[list[str], bool]]:
    model = build_model(textwrap.dedent(snippet))
    return {name: (sorted(local.members), local.complete) for name, local in model.classes.items()}


def test_members_are_defs_assignments_annotations_and_self_attributes() -> None:
    assert classes(
        """\
        class Shop:
            currency = 'EUR'
            rate: float
            a, (b, c) = 1, (2, 3)

            def __init__(self):
                self.items = []
                self.total: int = 0

            @property
            def size(self):
                return len(self.items)

            async def pay(self):
                local_variable = 1

            class Receipt:
                number = 1
        """
    ) == {
        "Shop": (
            [
                "Receipt",
                "__init__",
                "a",
                "b",
                "c",
                "currency",
                "items",
                "pay",
                "rate",
                "size",
                "total",
            ],
            True,
        ),
        "Shop.Receipt": (["number"], True),
    }


def test_complete_only_when_every_base_is_a_local_complete_class() -> None:
    assert classes(
        """\
        import abc
        from dataclasses import dataclass

        class Base:
            def base_method(self): ...

        class Child(Base):
            def child_method(self): ...

        class FromObject(object):
            x = 1

        class External(abc.ABC):
            y = 1

        class Grandchild(Child, External):
            z = 1

        class WithMeta(metaclass=abc.ABCMeta):
            w = 1

        @dataclass
        class Data:
            v: int = 0

        @register
        class Registered:
            u = 1
        """
    ) == {
        "Base": (["base_method"], True),
        "Child": (["base_method", "child_method"], True),
        "FromObject": (["x"], True),
        "External": (["y"], False),
        "Grandchild": (["base_method", "child_method", "y", "z"], False),
        "WithMeta": (["w"], False),
        "Data": (["v"], True),
        "Registered": (["u"], False),
    }


def test_a_class_name_bound_twice_is_not_complete() -> None:
    assert classes(
        """\
        try:
            from shop import Shop
        except ImportError:
            class Shop:
                pass

        class Twice:
            a = 1

        class Twice:
            b = 1
        """
    ) == {"Shop": ([], False)}


def test_classes_inside_functions_are_not_listed() -> None:
    assert (
        classes(
            """\
        def factory():
            class Hidden:
                pass
            return Hidden
        """
        )
        == {}
    )


def test_spec_members_use_the_local_class() -> None:
    model = build_model(
        textwrap.dedent(
            """\
            from unittest.mock import Mock
            class Shop:
                def pay(self): ...
            class Other(Unknown):
                def pay(self): ...
            known = Mock(spec=Shop)
            unknown = Mock(spec=Other)
            """
        )
    )
    known, unknown = model.bindings
    assert model.spec_members(known) == frozenset({"pay"})
    assert model.spec_members(unknown) is None
