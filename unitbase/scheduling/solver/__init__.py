"""The schedule optimiser: pure Python, no Django."""
