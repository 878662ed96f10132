"""A module that defines a function only when the environment asks for it."""

import os

if os.environ.get("SHAPES_FLAVOUR") == "special":

    def special():
        return "special"
