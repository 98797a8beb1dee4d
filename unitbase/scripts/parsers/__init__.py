"""Screenplay parsers: pure Python, no Django."""
