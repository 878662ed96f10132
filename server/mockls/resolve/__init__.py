"""Dotted patch targets -> what they name, via the workspace import index and jedi.

The only package that imports jedi.
"""
