"""HTTP helpers shared by every app's exports."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_response(content: bytes | str, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """A download (or, with `inline`, a document the browser shows) named `filename`; non-ASCII
    names are encoded as RFC 6266 asks."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
