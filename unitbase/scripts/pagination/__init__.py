"""Screenplay pagination and page eighths (pure Python, no Django)."""

from .layout import A4, LETTER, Layout, Pagination, ScenePages, Style, layout_for, paginate

__all__ = ["A4", "LETTER", "Layout", "Pagination", "ScenePages", "Style", "layout_for", "paginate"]
