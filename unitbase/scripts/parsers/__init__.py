"""Screenplay parsers: pure Python, no Django."""

from __future__ import annotations

from pathlib import Path

from .fdx import parse_fdx
from .fountain import parse_fountain
from .model import Element, ElementType, Script, ScriptFormatError
from .pdf import parse_pdf

__all__ = ["Element", "ElementType", "Script", "ScriptFormatError", "parse_bytes", "parse_fdx", "parse_fountain", "parse_path", "parse_pdf"]


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
