"""Canonical URLs, near-duplicate signatures, encodings and reference items."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.ingest.decode import DecodeError, declared_charset, decode
from sitrep.ingest.identity import canonical_url, normalize_url
from sitrep.ingest.references import parse_citation
from sitrep.ingest.similarity import signature

WIRE = ("Syrian government forces backed by Russian air strikes broke a three-year rebel siege of the Shi'ite towns "
        "of Nubl and Zahraa north of Aleppo on Wednesday, cutting the main supply route between rebel-held parts of "
        "the city and the Turkish border, a monitoring group and state media said. State television showed residents "
        "of the two towns celebrating in the streets as troops and allied militiamen arrived. The Syrian Observatory "
        "for Human Rights said the corridor through the villages of Mayer and Maarasta al-Khan had been cut and that "
        "Russian jets had carried out hundreds of air strikes in the area since Monday.")
OTHER = ("A convoy of United Nations, Red Cross and Syrian Arab Red Crescent lorries entered the besieged town of "
         "Madaya on Monday with food, medicine and blankets, aid officials said. Deliveries reached the "
         "government-held villages of Foua and Kefraya in Idlib province at the same time, under a deal that links "
         "the fate of the four towns. Doctors in Madaya said dozens of people had died of hunger since December.")


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://Example.NET:443/a/b/?utm_source=x&id=3&fbclid=y#comments", "https://example.net/a/b/?id=3"),
    ("http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?a=1&b=2"),
    ("https://example.org", "https://example.org/"),
    ("ftp://example.org/file", None),
    ("javascript:alert(1)", None),
    ("http://[::1/bad", None),
    ("", None),
])
def test_normalize_url(url: str, expected: str | None) -> None:
    assert normalize_url(url) == expected


def test_canonical_url_prefers_a_plausible_declaration() -> None:
    fetched = "https://www.example.net/2016/02/08/story/?utm_medium=social"
    assert canonical_url("https://example.net/2016/02/08/story/", fetched=fetched) == "https://example.net/2016/02/08/story/"
    assert canonical_url("https://example.net/", fetched=fetched) == "https://www.example.net/2016/02/08/story/"
    assert canonical_url("https://spam.example.com/x", fetched=fetched) == "https://www.example.net/2016/02/08/story/"
    assert canonical_url(None, fetched=None) is None
    assert canonical_url("/relative/path", fetched=None) is None


def test_syndicated_copy_is_similar_and_another_story_is_not() -> None:
    original = signature(WIRE)
    copy = signature("BEIRUT, Feb 4 (Levant Wire) - " + WIRE.rsplit(". ", 1)[0] + ". (Reporting by Levant Wire.)")
    other = signature(OTHER)
    assert original and copy and other
    assert original.containment(copy) >= 0.8
    assert original.containment(other) < 0.2
    assert set(original.bands()) & set(copy.bands())  # they would meet in an LSH bucket
    assert signature("Too short to compare.") is None


def test_signature_is_deterministic() -> None:
    assert signature(WIRE) == signature(WIRE)


@pytest.mark.parametrize(("raw", "declared", "text", "encoding", "misdeclared"), [
    ("café owners in Douma’s old market said the strike “came without warning” – a déjà vu of 2013. "
     .encode("cp1252") * 4, "utf-8", "café owners in Douma’s", "cp1252", True),
    ("café".encode() * 80, "iso-8859-1", "café", "utf-8", True),
    (b"plain ascii", "iso-8859-1", "plain ascii", "utf-8", False),
    ("\ufeffhi é".encode("utf-8"), None, "hi é", "utf-8", False),
    ("Алеппо".encode("cp1251") * 60, "windows-1251", "Алеппо", "cp1251", False),
])
def test_decode(raw: bytes, declared: str | None, text: str, encoding: str, misdeclared: bool) -> None:
    decoded = decode(raw, declared)
    assert decoded.text.startswith(text)
    assert decoded.encoding.replace("_", "-") in (encoding, {"cp1252": "windows-1252"}.get(encoding, encoding))
    assert decoded.misdeclared is misdeclared


def test_decode_refuses_binary() -> None:
    with pytest.raises(DecodeError) as err:
        decode(b"GIF89a\x01\x00\x01\x00\x00\xff\x00,")
    assert err.value.reason == "binary" and "GIF" in err.value.detail


def test_declared_charset_sources() -> None:
    assert declared_charset(b"<html>", "text/html; charset=ISO-8859-1") == "iso-8859-1"
    assert declared_charset(b'<?xml version="1.0" encoding="windows-1256"?><rss/>') == "windows-1256"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">') == "koi8-r"
    assert declared_charset(b"<p>none</p>") is None


@pytest.mark.parametrize(("item", "outlet", "title", "url", "published", "accessed"), [
    ('CNN, "Putin declares a truce", accessed 5 January 2017.', "CNN", "Putin declares a truce", None, None,
     date(2017, 1, 5)),
    ("BBC News, “Rebels suspend talks”, published 3 January 2017, retrieved on Jan 6, 2017, "
     "https://www.bbc.co.uk/news/x.", "BBC News", "Rebels suspend talks", "https://www.bbc.co.uk/news/x",
     date(2017, 1, 3), date(2017, 1, 6)),
    ("UN OCHA (2016-12-15). Syria: Aleppo situation report.", "UN OCHA (2016-12-15)", None, None,
     date(2016, 12, 15), None),
])
def test_parse_citation(item: str, outlet: str, title: str | None, url: str | None, published: date | None,
                        accessed: date | None) -> None:
    citation = parse_citation(1, item, 0, len(item))
    assert (citation.outlet, citation.title, citation.url) == (outlet, title, url)
    assert (citation.published, citation.accessed) == (published, accessed)
