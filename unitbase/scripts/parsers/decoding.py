"""Bytes to text: BOM-aware UTF-8/UTF-16, cp1252/Latin-1 fallback, line endings normalised."""

from __future__ import annotations

import codecs
import re

from .model import ScriptFormatError

# Control characters that never occur in a text screenplay (tab, LF, CR and form feed do).
_BINARY_CONTROLS = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}
_BINARY_CONTROLS_RE = re.compile("[" + "".join(f"\\x{c:02x}" for c in sorted(_BINARY_CONTROLS)) + "]")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ScriptFormatError("the file contains NUL bytes: it is binary, not a text screenplay")
    sample = text[:65536]
    controls = len(_BINARY_CONTROLS_RE.findall(sample))
    if controls > max(8, len(sample) // 200):
        raise ScriptFormatError(f"the file contains {controls} control characters: it looks binary, not like text")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text with '\\n' line endings, encoding used). Raise ScriptFormatError for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ScriptFormatError(f"the file starts with a UTF-16 byte-order mark but is not UTF-16: {exc.reason}") from None
    else:
        if b"\x00" in data[:4096]:
            raise ScriptFormatError("the file contains NUL bytes: it is binary, not a text screenplay")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
    _check_text(text)
    return normalise_newlines(text), encoding


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
