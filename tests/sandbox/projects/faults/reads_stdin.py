"""Reads standard input while it is imported."""

NAME = input("name? ")
