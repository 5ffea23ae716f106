# ruff: noqa: E501 - the page below is HTML, one paragraph a line
"""Build examples/web/pages.warc.gz: a small web-archive capture of the example pages.

Run from the repository root with the project's venv (warcio is a dependency):

    .venv/bin/python examples/web/make_warc.py

The capture holds what a crawler of these sites would have stored: the two saved pages (the
opinion piece and the analysis) under their URLs, a wire report that exists only in the
archive (its HTML is below; the feed carries a syndicated copy of it), the site logo, a
redirect and a page that was gone (404). Dates and headers are fixed, so the file is the same
on every run.
"""

from __future__ import annotations

import gzip
import io
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "pages.warc.gz"

# Written for the sitrep examples on public facts of 3-4 February 2016; Levant Wire is fictional.
WIRE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Syrian army cuts rebel supply route north of Aleppo | Levant Wire</title>
<link rel="canonical" href="https://example.com/levantwire/2016/02/04/aleppo-corridor-cut">
<meta property="og:site_name" content="Levant Wire">
<meta property="article:published_time" content="2016-02-04T09:10:00Z">
</head><body>
<nav><a href="/levantwire/">Levant Wire</a> | <a href="/levantwire/syria/">Syria</a> | <a href="/levantwire/iraq/">Iraq</a></nav>
<article>
<h1>Syrian army cuts rebel supply route north of Aleppo, reaches Nubl and Zahraa</h1>
<p class="byline">By Levant Wire staff</p>
<p>BEIRUT, Feb 4 (Levant Wire) - Syrian government forces backed by Russian air strikes broke a three-year rebel siege of the Shi'ite towns of Nubl and Zahraa north of Aleppo on Wednesday, cutting the main supply route between rebel-held parts of the city and the Turkish border, a monitoring group and state media said.</p>
<p>State television showed residents of the two towns celebrating in the streets as troops and allied militiamen arrived. The army said in a statement that the advance had tightened the encirclement of what it called terrorist groups in the Aleppo countryside.</p>
<p>The Syrian Observatory for Human Rights, a Britain-based monitoring group, said the corridor through the villages of Mayer and Maarasta al-Khan had been cut and that Russian jets had carried out hundreds of air strikes in the area since Monday. It said dozens of fighters on both sides had been killed.</p>
<p>Thousands of civilians fled towards the town of Azaz and the Bab al-Salama border crossing with Turkey, residents and aid workers said. Turkey has kept the border closed to most refugees for months.</p>
<p>Rebel commanders said they were sending reinforcements from Idlib province. "The road is cut, but the battle is not over," one commander told Levant Wire by telephone.</p>
<p>The offensive came as the United Nations envoy Staffan de Mistura paused the peace talks in Geneva, saying more work was needed before the negotiations could go on. He said the talks would resume by February 25th.</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="#">Madaya convoy reaches town</a></li><li><a href="#">Geneva talks on hold</a></li></ul></aside>
<footer>&copy; 2016 Levant Wire</footer>
</body></html>
"""

# a 1x1 transparent PNG: what a crawler stores beside the pages
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _response(writer: WARCWriter, url: str, body: bytes, *, date: str, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8", extra: list[tuple[str, str]] | None = None) -> None:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *(extra or [])]
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id(url, date)})
    writer.write_record(record)


def _record_id(*parts: str) -> str:
    """A fixed record id (warcio would draw a random one), so the file is reproducible."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(parts))}>"


def build(out: Path = OUT) -> Path:
    """Write the WARC and return its path."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    info = (b"software: sitrep examples/web/make_warc.py\r\nformat: WARC File Format 1.1\r\n"
            b"description: example capture for the sitrep web readers\r\n")
    writer.write_record(writer.create_warc_record(
        "", "warcinfo", payload=io.BytesIO(info), warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Date": "2017-01-10T09:00:00Z", "WARC-Filename": "pages.warc.gz",
                           "WARC-Record-ID": _record_id("warcinfo", "pages.warc.gz")}))
    _response(writer, "https://example.net/2016/02/08/the-noose-around-aleppo/",
              (HERE / "opinion-aleppo-encircled.html").read_bytes(), date="2016-02-10T12:00:00Z")
    _response(writer, "https://example.net/wp-content/themes/newspaper/logo.png", LOGO,
              date="2016-02-10T12:00:01Z", content_type="image/png")
    _response(writer, "https://example.org/analysis/2017/01/08/why-moscow-is-sending-its-carrier-home",
              (HERE / "analysis-russia-drawdown.html").read_bytes(), date="2017-01-10T09:30:00Z")
    _response(writer, "https://example.com/levantwire/2016/02/04/aleppo-corridor-cut", WIRE_PAGE.encode("utf-8"),
              date="2016-02-04T10:00:00Z")
    _response(writer, "http://example.com/levantwire/syria", b"", date="2016-02-04T10:00:02Z",
              status="301 Moved Permanently", extra=[("Location", "https://example.com/levantwire/syria/")])
    _response(writer, "https://example.com/levantwire/2016/02/05/aleppo-clashes-continue",
              b"<html><body><h1>404 Not Found</h1></body></html>", date="2016-02-06T08:00:00Z",
              status="404 Not Found")
    out.write_bytes(buffer.getvalue())
    with gzip.open(out) as check:  # the archive must read back whole
        check.read()
    return out


if __name__ == "__main__":
    print(f"wrote {build()}")  # noqa: T201
