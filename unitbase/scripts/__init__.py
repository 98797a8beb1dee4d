"""Script import and breakdown."""
