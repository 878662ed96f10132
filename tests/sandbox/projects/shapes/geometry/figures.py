"""Every kind of object a patch target can name."""

import functools


class Circle:
    """A circle."""

    def __init__(self, radius: float) -> None:
        self.radius = radius

    def area(self) -> float:
        return 3.14159 * self.radius**2

    @property
    def diameter(self) -> float:
        return 2 * self.radius

    @functools.cached_property
    def perimeter(self) -> float:
        return 2 * 3.14159 * self.radius

    @classmethod
    def unit(cls, scale: float = 1.0) -> "Circle":
        return cls(scale)

    @staticmethod
    def describe(text, *, loud=False):
        return text.upper() if loud else text


def scale(figure, factor, *, around=None):
    return figure, factor, around


UNIT = Circle(1.0)
