"""Call sheet and production report PDFs: the same templates as the pages, printed by WeasyPrint."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _css(path: str) -> str:
    found = finders.find(path)
    with open(found, encoding="utf-8") as handle:  # our own static file
        return _print_only(handle.read())


def _print_only(css: str) -> str:
    """Drop the `@media screen ...` blocks (phone layout): WeasyPrint prints, cannot parse media
    queries with features (it warns and ignores them on every render), and parses less this way."""
    out, i = [], 0
    while (start := css.find("@media screen", i)) != -1:
        out.append(css[i:start])
        depth, j = 0, css.index("{", start)
        while j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    out.append(css[i:])
    return "".join(out)


def callsheet_html(data: dict, *, own_person_id: int | None = None, draft: bool = False) -> str:
    return render_to_string("callsheets/pdf.html", {"d": data, "own_person_id": own_person_id, "draft": draft,
                                                    "css": _css("callsheets/callsheet.css")})


def callsheet_pdf(data: dict, *, own_person_id: int | None = None, draft: bool = False) -> bytes:
    from weasyprint import HTML

    return HTML(string=callsheet_html(data, own_person_id=own_person_id, draft=draft)).write_pdf()


def dpr_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("callsheets/dpr_pdf.html", {**context, "css": _css("callsheets/callsheet.css")})
    return HTML(string=html).write_pdf()
