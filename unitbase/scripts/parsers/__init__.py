"""Screenplay parsers: pure Python, no Django."""

from __future__ import annotations

from pathlib import Path

from .decoding import decode
from .fdx import parse_fdx
from .fountain import parse_fountain
from .model import Element, ElementType, Script, ScriptFormatError
from .pdf import check_pdf, parse_pdf

__all__ = ["Element", "ElementType", "Script", "ScriptFormatError", "check_bytes", "parse_bytes", "parse_fdx", "parse_fountain", "parse_path", "parse_pdf"]


# A 120-page feature is ~300 KB as Fountain, ~1 MB as FDX and PDF; far larger is not a screenplay.
MAX_FILE_BYTES = 20 * 1048576


def detect_format(data: bytes, filename: str = "") -> str:
    name = filename.lower()
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".pdf") or head.startswith(b"%PDF"):
        return "pdf"
    if name.endswith(".fdx") or (head.startswith(b"<?xml") and b"<FinalDraft" in data[:4096]) or head.startswith(b"<FinalDraft"):
        return "fdx"
    return "fountain"


def check_bytes(data: bytes, filename: str = "") -> str:
    """The cheap checks of parse_bytes, for refusing a bad file before a background import: empty,
    too big, a `.pdf` that is not a PDF or has no text layer, binary or undecodable text. Return the
    format; raise ScriptFormatError with the same messages as parse_bytes. FDX structure, entities
    and the scenes themselves are checked only by the full parse."""
    if len(data) > MAX_FILE_BYTES:
        raise ScriptFormatError(
            f"the file is {len(data) / 1048576:.1f} MB; a screenplay file is at most {MAX_FILE_BYTES // 1048576} MB"
        )
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf\xff\xfe\x00"):
        raise ScriptFormatError("the file is empty")
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise ScriptFormatError("the file is named .pdf but is not a PDF (no %PDF header)")
        check_pdf(data)
    else:
        decode(data)
    return fmt


def parse_bytes(data: bytes, filename: str = "") -> Script:
    """Parse a screenplay file's bytes; the format comes from the name or the content."""
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf\xff\xfe\x00"):
        raise ScriptFormatError("the file is empty")
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise ScriptFormatError("the file is named .pdf but is not a PDF (no %PDF header)")
        return parse_pdf(data)
    if fmt == "fdx":
        return parse_fdx(data)
    return parse_fountain(data)


def parse_path(path: str | Path) -> Script:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScriptFormatError(
                f"the file is {size / 1048576:.1f} MB; a screenplay file is at most {MAX_FILE_BYTES // 1048576} MB"
            )
        data = p.read_bytes()
    except OSError as exc:
        raise ScriptFormatError(f"cannot read {p}: {exc.strerror}") from None
    return parse_bytes(data, p.name)
