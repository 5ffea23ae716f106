"""Bytes -> text: binary sniffing and encoding repair.

Pages and dumps often declare one charset and use another (a CMS that says utf-8 and serves
windows-1252, a scraper that saved latin-1). Valid UTF-8 is a strong signal (random legacy
bytes almost never form it), so it wins over a declaration; a declaration is trusted only when
it decodes cleanly; charset-normalizer guesses the rest. What was done is reported, never hidden.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of formats that come with a text extension now and then (a PDF saved as .html).
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/EPUB)"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_WIDE = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_.-]+)["']""")


class DecodeError(ValueError):
    """The bytes are binary or in no encoding we can find."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None = None
    guessed: bool = False

    @property
    def misdeclared(self) -> bool:
        """A charset was declared and the (non-ASCII) bytes were not in it."""
        if self.declared is None or self.text.isascii():
            return False
        return _same(self.declared, self.encoding) is False


def binary_kind(raw: bytes) -> str | None:
    """What the bytes are if they are not text ("a PNG image", "binary data"), else None."""
    head = raw[:4096]
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head:
        # UTF-16 without a BOM has a NUL in every other byte; anything else with NULs is binary
        if _looks_utf16(head):
            return None
        return "binary data (NUL bytes)"
    if head and len(_CONTROL.findall(head)) > max(8, len(head) // 20):
        return "binary data (control characters)"
    return None


def declared_charset(raw: bytes, content_type: str | None = None) -> str | None:
    """The charset an HTTP header, an XML declaration or an HTML <meta> gives, if any."""
    if content_type:
        match = re.search(r"charset\s*=\s*[\"']?([a-zA-Z0-9_:.-]+)", content_type, re.IGNORECASE)
        if match:
            return match.group(1).lower()
    head = raw[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found:
            return found.group(1).decode("ascii", "replace").lower()
    return None


def decode(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode `raw`: BOM, then strict UTF-8, then the declared charset, then a guess.

    Raises DecodeError("binary" | "undecodable", detail) when the bytes are not text.
    """
    kind = binary_kind(raw)
    if kind:
        raise DecodeError("binary", kind)
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(encoding), encoding.replace("-sig", ""), declared)
            except UnicodeDecodeError as err:
                raise DecodeError("undecodable", f"has a {encoding} byte-order mark but is not {encoding}: "
                                                 f"{err.reason}") from err
    if b"\x00" in raw[:4096] and _looks_utf16(raw[:4096]):
        encoding = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        try:
            return Decoded(raw.decode(encoding), encoding, declared, guessed=True)
        except UnicodeDecodeError as err:
            raise DecodeError("undecodable", f"looks like UTF-16 but is not: {err.reason}") from err
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", declared)
    except UnicodeDecodeError:
        pass
    if declared and not _same(declared, "utf-8"):
        try:
            return Decoded(raw.decode(_python_codec(declared)), _python_codec(declared), declared)
        except (UnicodeDecodeError, LookupError):
            pass
    # UTF-16/32 without a BOM were handled above; short samples are too short for a guess
    guess = _guess(raw) if len(raw) >= 200 else None
    if guess:
        try:
            return Decoded(raw.decode(guess), guess, declared, guessed=True)
        except (UnicodeDecodeError, LookupError):
            pass
    # windows-1252 maps almost every byte; the five it does not become U+FFFD
    return Decoded(raw.decode("cp1252", errors="replace"), "cp1252", declared, guessed=True)


def _guess(raw: bytes) -> str | None:
    """charset-normalizer's pick; windows-1252 (the web's commonest legacy charset) among near ties."""
    results = list(from_bytes(raw[:200_000], cp_exclusion=_WIDE))
    if not results:
        return None
    best = min(m.chaos for m in results)
    near = [m.encoding for m in results if m.chaos <= best + 0.1]
    return "cp1252" if "cp1252" in near else results[0].encoding


def _python_codec(name: str) -> str:
    """Python's name for a charset label (browsers read iso-8859-1 as windows-1252, and so do we)."""
    lowered = name.lower().strip()
    if lowered in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1"}:
        return "cp1252"
    return codecs.lookup(lowered).name


def _same(a: str, b: str) -> bool | None:
    try:
        return codecs.lookup(_python_codec(a)).name == codecs.lookup(_python_codec(b)).name
    except LookupError:
        return None


def _looks_utf16(head: bytes) -> bool:
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)
