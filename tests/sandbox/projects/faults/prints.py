"""Prints while it is imported."""

print("hello from user code")


def greet():
    return "hello"
