"""Template helpers for the call sheet document."""

from django import template

register = template.Library()


@register.filter
def crew_columns(departments: list[dict], count: int = 3) -> list[list[dict]]:
    """Split the crew's departments (in order) into `count` columns of about equal height.

    Done here rather than with CSS multi-column layout, which WeasyPrint lays out many times slower."""
    count = max(1, int(count))
    heights = [len(d["rows"]) + 2 for d in departments]  # the department header and spacing count too
    target = sum(heights) / count if heights else 0
    columns: list[list[dict]] = [[]]
    filled = 0.0
    for dept, height in zip(departments, heights, strict=True):
        if columns[-1] and len(columns) < count and filled + height / 2 > target * len(columns):
            columns.append([])
        columns[-1].append(dept)
        filled += height
    return columns
