"""Hostile inputs for `sitrep ingest` (issue 13, item 2 "Nothing silent").

Writes a corpus of awkward inputs into a temporary folder (feeds in legacy encodings and with
repeated links, WARC/ARC files with no page, wget's metadata records, a URL with spaces,
truncated archives, Big5/GB2312 pages, a page nested 100,000 <div>s deep, comment layouts,
JSONL with bad lines, a CSV without a text column, binary disguised as .txt, a huge line,
zero-byte files, gzip bombs and cuts, symlink loops, empty folders...), ingests it with
`sitrep ingest --offline -v` into a temporary store and prints, per input, what became of each
item (stored / skipped / rejected + reason), then the totals. Every text is invented for this
file. Nothing is downloaded and nothing is fetched (--offline).

    python bench/hostile_inputs.py [--keep DIR] [--json]

tests/integration/test_hostile_inputs.py runs `build` on a subset through the same driver.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# -- invented reports (no publication's text) ---------------------------------------------
MARIB = ("Government troops shelled the outskirts of Marib overnight, killing at least six civilians and wounding "
         "twelve, according to local medical workers. Residents said families fled toward the desert camps east "
         "of the city as the fighting spread to the main road. A spokesman for the tribal forces said the attack "
         "would be answered, and aid agencies warned that the camps were already full.")
KURRAM = ("Militants attacked a police post in the district of Kurram on Tuesday, killing three officers and "
          "wounding five, a provincial spokesman said. The attackers fled into the hills before reinforcements "
          "arrived, and a curfew was declared in the nearby villages until Thursday morning.")
BENTIU = ("Fighting between government soldiers and opposition fighters near Bentiu killed at least eleven people on "
          "Saturday, a local official said, and several hundred families fled toward the camp north of the town. "
          "The county commissioner said the clashes began at dawn near the river crossing.")
GAO = ("Gunmen on motorbikes raided a cattle market near Gao on Friday, killing four herders and driving off "
       "hundreds of animals, a local councillor said. Soldiers sent from the town arrived after the attackers had "
       "crossed the river, and traders said the market would stay closed.")
TALAR = ("Two rockets struck an army base outside Talar on Wednesday night, wounding seven soldiers, the defence "
         "ministry said. No group claimed the attack. Residents said sirens sounded across the town for an hour, "
         "and the road to the airport was closed until morning.")
RU = ("Российские военные заявили, что в ходе ночных ударов по позициям боевиков в районе Идлиба были уничтожены "
      "склады оружия. По данным местных источников, погибли по меньшей мере шесть человек, ещё двенадцать "
      "получили ранения. Жители бежали на север к турецкой границе, сообщили волонтёры.")
ZH_T = ("政府軍週一晚間炮擊了城鎮郊區，造成至少六名平民死亡，十二人受傷。當地醫務人員說，隨著戰鬥蔓延到主要道路，"
        "許多家庭逃往城東的沙漠營地。聯合國呼籲各方保護平民。")
ZH_S = ("政府军周一晚间炮击了城镇郊区，造成至少六名平民死亡，十二人受伤。当地医务人员说，随着战斗蔓延到主要道路，"
        "许多家庭逃往城东的沙漠营地。联合国呼吁各方保护平民。")
FR = ("Les forces gouvernementales ont bombardé la périphérie de la ville pendant la nuit, tuant au moins six civils "
      "et en blessant douze, selon des agents de santé locaux. Les habitants ont déclaré que des familles avaient "
      "fui vers les camps du désert à l'est de la ville.")


def page(title: str, body: str, extra: str = "", head: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article>{extra}</body></html>")


def rss(items: list[tuple[str, str, str]], encoding: str = "utf-8", channel: str = "Regional Wire") -> bytes:
    """(title, link, description) entries; descriptions under 120 words are teasers (their page is fetched)."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
                   f"<pubDate>Mon, 04 Mar 2019 10:00:00 GMT</pubDate></item>" for t, link, d in items)
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel><title>{channel}</title>'
            f"<link>https://wire.example.org/</link>{body}</channel></rss>").encode(encoding)


def warc_record(rec_type: str, uri: str | None, payload: bytes, content_type: str, date: str = "2019-03-05T10:00:00Z",
                number: int = 1) -> bytes:
    headers = [f"WARC-Type: {rec_type}", f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>",
               f"WARC-Date: {date}", f"Content-Type: {content_type}", f"Content-Length: {len(payload)}"]
    if uri:
        headers.insert(1, f"WARC-Target-URI: {uri}")
    return ("WARC/1.0\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"


def http_response(body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def arc_file(records: list[tuple[str, bytes]]) -> bytes:
    """An ARC v1 file: a filedesc header, then `URL IP DATE TYPE LENGTH` lines (the URL may hold spaces)."""
    spec = b"1 0 sitrep-bench\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://bench.arc 0.0.0.0 20190305100000 text/plain %d\n" % len(spec) + spec + b"\n"]
    for url, html in records:
        http = http_response(html, "text/html")
        out.append(url.encode() + b" 192.0.2.10 20190305100000 text/html %d\n" % len(http) + http + b"\n")
    return b"".join(out)


# -- the cases -------------------------------------------------------------------------------
@dataclass
class Case:
    name: str  # the input's path relative to the corpus folder
    what: str  # what is hostile about it
    expect: list[tuple[str, str]]  # (outcome, reason) of each item, in any order; reason "" for stored
    write: Callable[[Path], None]
    fast: bool = True  # in the test's subset
    not_items: str = ""  # what the input holds that is deliberately not an item
    extra: dict[str, Any] = field(default_factory=dict)


def _text(data: str | bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return write


def _wget_warc() -> bytes:
    html = page("Cattle market raided near Gao", GAO + "\n\n" + GAO.replace("four", "five")).encode()
    url = "https://sahel.example.net/2019/03/gao-market"
    records = [
        warc_record("warcinfo", None, b"software: Wget/1.21 (linux-gnu)\r\nformat: WARC File Format 1.0\r\n",
                    "application/warc-fields", number=1),
        warc_record("request", url, b"GET /2019/03/gao-market HTTP/1.1\r\nHost: sahel.example.net\r\n\r\n",
                    "application/http;msgtype=request", number=2),
        warc_record("response", url, http_response(html), "application/http;msgtype=response", number=3),
        warc_record("metadata", "metadata://gnu.org/software/wget/warc/MANIFEST.txt",
                    b"<urn:uuid:00000000-0000-4000-8000-000000000005>\n", "text/plain", number=4),
        warc_record("resource", "metadata://gnu.org/software/wget/warc/wget_arguments.txt",
                    b'"wget" "--warc-file=gao" "https://sahel.example.net/2019/03/gao-market"\n', "text/plain",
                    number=5),
        warc_record("resource", "metadata://gnu.org/software/wget/warc/wget.log",
                    ("Resolving sahel.example.net... 192.0.2.7\nConnecting to sahel.example.net|192.0.2.7|:443... "
                     "connected.\nHTTP request sent, awaiting response... 200 OK\nLength: 1834 (1.8K) [text/html]\n"
                     "Saving to: 'gao-market'\n\nFINISHED --2019-03-05 10:00:01--\nTotal wall clock time: 0.4s\n"
                     "Downloaded: 1 files, 1.8K in 0s (9.1 MB/s)\n" * 3).encode(), "text/plain", number=6),
    ]
    return b"".join(records)


def _no_html_warc() -> bytes:
    url = "https://sahel.example.net/logo.png"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return b"".join([
        warc_record("warcinfo", None, b"software: bench\r\n", "application/warc-fields", number=1),
        warc_record("request", url, b"GET /logo.png HTTP/1.1\r\nHost: sahel.example.net\r\n\r\n",
                    "application/http;msgtype=request", number=2),
        warc_record("response", url, http_response(png, "image/png"), "application/http;msgtype=response", number=3),
        warc_record("response", "https://sahel.example.net/app.js", http_response(b"var x = 1;", "text/javascript"),
                    "application/http;msgtype=response", number=4),
    ])


def _pages_warc() -> bytes:
    one = page("Rockets hit base outside Talar", TALAR + "\n\n" + TALAR.replace("seven", "nine")).encode()
    return b"".join([
        warc_record("response", "https://levant.example.com/talar-base", http_response(one),
                    "application/http;msgtype=response", number=1),
        warc_record("response", "https://levant.example.com/gone", http_response(b"Not found", "text/html",
                                                                                  "404 Not Found"),
                    "application/http;msgtype=response", number=2),
    ])


def _gzip_members(data: bytes) -> bytes:
    return gzip.compress(data)


def _cut_warc() -> bytes:
    whole = _pages_warc() + warc_record("response", "https://levant.example.com/talar-later",
                                        http_response(page("Talar, later", TALAR).encode()),
                                        "application/http;msgtype=response", number=3)
    return whole[: len(whole) - 300]


def _deep() -> str:
    depth = 100_000
    return ("<!DOCTYPE html><html><head><title>Rockets hit base outside Talar</title></head><body>" + "<div>" * depth
            + f"<p>{TALAR}</p><p>{TALAR.replace('seven', 'eight')}</p>" + "</div>" * depth + "</body></html>")


WP_COMMENTS = """<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts on &ldquo;Police post
attacked in Kurram&rdquo;</h2><ol class="commentlist">
<li class="comment even thread-even depth-1" id="li-comment-11"><div id="comment-11"><div class="comment-author vcard">
<cite class="fn">Farid K.</cite> <span class="says">says:</span></div><div class="comment-meta commentmetadata">
<a href="#comment-11">March 5, 2019 at 9:14 am</a></div><p>My cousin lives two streets from the post. The shooting
lasted almost an hour.</p><div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></div>
<ul class="children"><li class="comment odd alt depth-2" id="li-comment-12"><div id="comment-12">
<div class="comment-author vcard"><cite class="fn">Sana</cite> <span class="says">says:</span></div><p>Stay safe. The
road to Parachinar was closed all afternoon.</p></div></li></ul></li>
<li class="comment even thread-odd depth-1" id="li-comment-13"><div id="comment-13"><div class="comment-author vcard">
<cite class="fn">Observer</cite> <span class="says">says:</span></div><p>Three officers killed and still no word from
the interior ministry.</p></div></li></ol></div>"""
DISQUS_COMMENTS = """<div id="comments"><h3>Comments</h3>
<article class="post" id="post-501"><header><span class="author">Farid K.</span>
<time datetime="2019-03-05T09:14:00Z">5 Mar</time></header><div class="post-message"><p>My cousin lives two streets
from the post. The shooting lasted almost an hour.</p></div></article>
<article class="post" id="post-502"><header><span class="author">Sana</span>
<time datetime="2019-03-05T10:02:00Z">5 Mar</time></header><div class="post-message"><p>Stay safe. The road to
Parachinar was closed all afternoon.</p></div></article></div>"""
HEADING_ONLY = """<section class="comments-section"><h2>Comments</h2></section>"""


def _jsonl_bad() -> str:
    good = json.dumps({"title": "Raid on Gao market", "text": GAO, "url": "https://sahel.example.net/gao-raid",
                       "published": "2019-03-01"})
    return "\n".join([good, '{"title": "cut', "[1, 2, 3]", json.dumps({"title": "No text here", "text": ""}),
                      "[" * 5000 + "]" * 5000, ""]) + "\n"


def cases() -> list[Case]:
    marib = "\n\n".join([MARIB, MARIB.replace("six", "seven")])
    kurram = "\n\n".join([KURRAM, KURRAM.replace("three", "four")])
    wire_links = [f"https://wire.example.org/bentiu-{i % 3}" for i in range(7)]
    teasers = [(f"Clashes near Bentiu ({i})", link, "Fighting near Bentiu.") for i, link in enumerate(wire_links, 1)]
    return [
        Case("text/zero-byte.txt", "a zero-byte file", [("rejected", "empty")], _text(b"")),
        Case("text/whitespace.txt", "only blank lines and spaces", [("rejected", "empty")], _text(" \n\n\t \n")),
        Case("text/png-as.txt", "a PNG image named .txt", [("rejected", "binary")],
             _text(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)),
        Case("text/nul-bytes.txt", "random bytes with NULs named .txt", [("rejected", "binary")],
             _text(bytes((i * 37) % 256 for i in range(4096)))),
        Case("text/elf.html", "an executable named .html", [("rejected", "binary")],
             _text(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)),
        Case("text/huge-line.txt", "one line of 1.2 million characters", [("rejected", "too large")],
             _text(("word " * 240_000).strip() + "\n"), fast=False),
        Case("text/marib.txt", "a plain report (the control)", [("stored", "")], _text(marib)),
        Case("text/marib2.txt", "the same file again under another name", [("skipped", "already stored")],
             _text(marib)),
        Case("text/utf16-bom.txt", "UTF-16 with a byte-order mark", [("stored", "")],
             _text("\n\n".join([BENTIU, BENTIU.replace("eleven", "twelve")]).encode("utf-16"))),
        Case("text/cp1252.txt", "windows-1252, not UTF-8 (a warning, the text kept)", [("stored", "")],
             _text(("Talar – “rockets” hit the base. " + TALAR.replace("seven", "six") + " Café owners fled.")
                   .encode("cp1252"))),
        Case("text/french.txt", "French", [("rejected", "not English")], _text(FR)),
        Case("text/bad-front-matter.txt", "YAML front matter that is not YAML", [("rejected", "bad metadata")],
             _text("---\ntitle: [unclosed\npublished: 2019-03-05\n---\n" + KURRAM)),
        Case("text/feed-as.txt", "an RSS feed saved as .txt, full-text entry", [("stored", "")],
             _text(rss([("Raid near Gao", "https://sahel.example.net/gao-feed-txt", " ".join([GAO] * 3))]))),
        Case("html/deep-100k-divs.html", "text nested in 100,000 <div>s", [("stored", "")], _text(_deep())),
        Case("html/truncated.html", "a page cut before its article", [("rejected", "truncated")],
             _text("<!DOCTYPE html><html><head><title>Talar</title></head><body><nav><a href='/'>Home</a>")),
        Case("html/chrome-only.html", "menus and a footer, no article", [("rejected", "no text")],
             _text("<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav>"
                   "<footer>(c) 2019</footer></body></html>")),
        Case("html/big5.html", "Big5 Chinese page, charset declared", [("rejected", "not English")],
             _text(page(ZH_T[:8], ZH_T + "\n\n" + ZH_T, head='<meta charset="big5">').encode("big5"))),
        Case("html/gb2312.html", "GB2312 Chinese page, charset declared", [("rejected", "not English")],
             _text(page(ZH_S[:8], ZH_S + "\n\n" + ZH_S, head='<meta charset="gb2312">').encode("gb2312"))),
        Case("html/gb2312-undeclared.html", "GB2312 page without a charset", [("rejected", "not English")],
             _text(page(ZH_S[:8], ZH_S + "\n\n" + ZH_S).encode("gb2312"))),
        Case("html/wordpress-comments.html", "a WordPress comment list (ol.commentlist, nested reply)",
             [("stored", "")], _text(page("Police post attacked in Kurram", kurram, WP_COMMENTS)),
             extra={"comments": 3}),
        Case("html/disqus-comments.html", "a Disqus-like thread (div#comments, articles)", [("stored", "")],
             _text(page("Police post attacked in Kurram today", kurram.replace("Tuesday", "Wednesday"),
                        DISQUS_COMMENTS)), extra={"comments": 2}),
        Case("html/heading-only-comments.html", "a 'Comments' heading with no comment", [("stored", "")],
             _text(page("Curfew in Kurram villages", KURRAM.replace("three", "two") + "\n\n"
                        + KURRAM.replace("Tuesday", "Monday"), HEADING_ONLY)), extra={"comments": 0}),
        Case("feeds/win1251.xml", "a windows-1251 feed (declared in the prolog), Russian",
             [("rejected", "not English")],
             _text(rss([("Удары по Идлибу", "https://ru.example.org/idlib", " ".join([RU] * 6))],
                       "windows-1251", "Новости"))),
        Case("feeds/latin1.xml", "an ISO-8859-1 feed, English with accents", [("stored", "")],
             _text(rss([("Shelling near Marib, café hit", "https://gulf.example.com/marib-cafe",
                         " ".join([MARIB.replace("civilians", "civilians (a café owner, José, among them)")] * 3))],
                       "ISO-8859-1"))),
        Case("feeds/repeats-a.xml", "7 teaser entries linking 3 pages (offline)", [("rejected", "offline")] * 7,
             _text(rss(teasers))),
        Case("feeds/repeats-b.xml", "the same 7 entries in a second feed", [("rejected", "offline")] * 7,
             _text(rss(teasers, channel="Second Wire"))),
        Case("feeds/not-xml.rss", "an .rss file that is not a feed", [("rejected", "malformed feed")],
             _text("<<<< this is not a feed >>>>\n" * 5)),
        Case("feeds/no-entries.xml", "a valid feed with no entries", [("rejected", "empty")],
             _text(rss([]))),
        Case("feeds/same-url-twice.xml", "two full-text entries with one URL", [("stored", ""),
                                                                                ("skipped", "same URL")],
             _text(rss([("Rockets hit base outside Talar", "https://levant.example.com/talar-feed",
                         " ".join([TALAR] * 3)),
                        ("Rockets hit base outside Talar (updated)", "https://levant.example.com/talar-feed",
                         " ".join([TALAR.replace("seven", "eight")] * 3))]))),
        Case("archives/no-html.warc", "a WARC of an image and a script, no page",
             [("rejected", "no HTML response record")], _text(_no_html_warc()), not_items="4 records, none a page"),
        Case("archives/wget.warc.gz", "wget's WARC (gzipped whole): warcinfo, request, response, metadata://",
             [("stored", "")], _text(_gzip_members(_wget_warc())),
             not_items="warcinfo, request, metadata://MANIFEST, resource metadata://wget_arguments, metadata://wget.log"),
        Case("archives/cut.warc", "a WARC cut inside its last record (read first: its page is stored)",
             [("stored", ""), ("rejected", "HTTP error"), ("rejected", "truncated")], _text(_cut_warc())),
        Case("archives/page-and-404.warc", "the same page and a 404 again", [("skipped", "already stored"),
                                                                             ("rejected", "HTTP error")],
             _text(_pages_warc())),
        Case("archives/garbage.warc.gz", "random bytes named .warc.gz", [("rejected", "malformed WARC")],
             _text(bytes((i * 91) % 251 for i in range(3000)))),
        Case("archives/space-in-url.arc", "an ARC whose URLs hold spaces (one leading)", [("stored", "")] * 2,
             _text(arc_file([("https://horn.example.org/news/bentiu clashes.html",
                              page("Clashes near Bentiu", BENTIU + "\n\n" + BENTIU.replace("eleven", "ten")).encode()),
                             (" https://horn.example.org/news/gao raid.html",
                              page("Raid near Gao", GAO + "\n\n" + GAO.replace("four", "six")).encode())]))),
        Case("corpora/bad-lines.jsonl", "JSONL: a good line, a cut one, an array, no text, nesting 5000 deep",
             [("stored", ""), ("rejected", "malformed JSON line"), ("rejected", "malformed JSON line"),
              ("rejected", "no text"), ("rejected", "malformed JSON line")], _text(_jsonl_bad())),
        Case("corpora/blank.jsonl", "JSONL of blank lines only", [("rejected", "empty")], _text("\n\n  \n\n")),
        Case("corpora/no-text-column.csv", "CSV without a text column (2 rows)", [("rejected", "no text")] * 2,
             _text("title,url,date\nRaid on Gao,https://sahel.example.net/x,2019-03-01\n"
                   "Talar base hit,https://levant.example.com/y,2019-03-02\n")),
        Case("corpora/header-only.csv", "CSV with a header and no row", [("rejected", "empty")],
             _text("title,text,url\n")),
        Case("corpora/ragged.csv", "CSV: one good row, one with extra cells",
             [("stored", ""), ("rejected", "malformed CSV row")],
             _text('title,text\n"Talar base hit","' + TALAR.replace("seven", "five") + '"\nx,y,z,w\n')),
        Case("gzip/report.txt.gz", "a gzipped report", [("stored", "")],
             _text(gzip.compress(("\n\n".join([KURRAM.replace("Kurram", "Orakzai")] * 2)).encode()))),
        Case("gzip/cut.txt.gz", "a gzip stream cut in half", [("rejected", "truncated")],
             _text(gzip.compress(("\n\n".join([BENTIU] * 40)).encode())[:200])),
        Case("gzip/bomb.txt.gz", "a gzip that expands past --max-bytes", [("rejected", "too large")],
             _text(gzip.compress(b"a" * 11_000_000, compresslevel=9)), fast=False),
        Case("gzip/not-gzip.jsonl.gz", "plain text named .jsonl.gz", [("rejected", "truncated")],
             _text("this was never compressed\n")),
        Case("lists/links.urls", "a URL list: two URLs and a bad line (offline)",
             [("rejected", "offline"), ("rejected", "offline"), ("rejected", "bad URL")],
             _text("# wire pages\nhttps://wire.example.org/gao-1\nhttps://wire.example.org/gao-2\nftp://x\n")),
        Case("links/loop.txt", "a symbolic link to itself", [("rejected", "unreadable")],
             lambda path: path.symlink_to(path.name)),
        Case("links/dangling.txt", "a symbolic link to a missing file", [("rejected", "unreadable")],
             lambda path: path.symlink_to("no-such-file.txt")),
        Case("empty-folder", "a folder with nothing in it", [("rejected", "empty")],
             lambda path: path.mkdir()),
        Case("unreadable-folder", "a folder of .docx and .pdf files only", [("rejected", "empty")],
             lambda path: (path.mkdir(), (path / "a.docx").write_bytes(b"PK\x03\x04"),
                           (path / "b.pdf").write_bytes(b"%PDF-1.4"))),
    ]


def build(folder: Path, *, fast_only: bool = False) -> list[Case]:
    """Write the cases under `folder`; each top-level entry is given to `sitrep ingest` on its own."""
    chosen = [c for c in cases() if c.fast or not fast_only]
    for case in chosen:
        path = folder / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        case.write(path)
    return chosen


# -- outcomes --------------------------------------------------------------------------------
_LINE = re.compile(r"^(rejected|skipped|warning) (.+?): (.+?)(?: \((.*)\))?$")


def case_of(item_path: str, folder: Path, chosen: list[Case]) -> str | None:
    """The case an item came from: its path with "#entry", ":line" or "#record" cut off."""
    best = None
    for case in chosen:
        base = str(folder / case.name)
        inside = item_path == base or item_path.startswith((base + "#", base + ":", base + os.sep))
        if inside and (best is None or len(case.name) > len(best)):
            best = case.name
    return best


def outcomes_from_lines(stderr: str) -> list[tuple[str, str, str, str]]:
    """(outcome, path, reason, detail) of each `rejected`/`skipped` line `sitrep ingest -v` printed."""
    found = []
    for line in stderr.splitlines():
        match = _LINE.match(line.strip())
        if match and match.group(1) != "warning":
            found.append((match.group(1), match.group(2), match.group(3), match.group(4) or ""))
    return found


def tally(folder: Path, chosen: list[Case], items: list[tuple[str, str, str, str]],
          stored_paths: list[str]) -> dict[str, Counter[tuple[str, str]]]:
    """Per case: Counter of (outcome, reason)."""
    per: dict[str, Counter[tuple[str, str]]] = {c.name: Counter() for c in chosen}
    per["(none)"] = Counter()
    for outcome, path, reason, _ in items:
        reason = "same URL" if reason.startswith("same URL") else reason
        per[case_of(path, folder, chosen) or "(none)"][(outcome, reason)] += 1
    for path in stored_paths:
        per[case_of(path, folder, chosen) or "(none)"][("stored", "")] += 1
    return per


def expected(case: Case) -> Counter[tuple[str, str]]:
    return Counter(case.expect)


def run_cli(folder: Path, chosen: list[Case], db: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    paths = sorted({str(folder / Path(c.name).parts[0]) for c in chosen})
    done = subprocess.run([sys.executable, "-m", "sitrep.cli", "ingest", *paths, "--db", str(db), "--offline", "-v",
                           "--no-progress"], capture_output=True, text=True, env=env, timeout=1800)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as conn:
        stored = [row[0] for row in conn.execute("SELECT path FROM documents").fetchall()]
    return done, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="write the corpus and the store here and keep them")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        folder = base / "hostile"
        folder.mkdir(parents=True, exist_ok=True)
        chosen = build(folder)
        db = base / "hostile.duckdb"
        done, stored = run_cli(folder, chosen, db)
        items = outcomes_from_lines(done.stderr)
        per = tally(folder, chosen, items, stored)
        totals = re.search(r"read (\d+) items?: (\d+) stored, (\d+) skipped, (\d+) rejected", done.stdout)
        rows = []
        for case in chosen:
            got = per[case.name]
            rows.append({"input": case.name, "what": case.what, "outcome": _describe(got),
                         "as expected": got == expected(case), "not items": case.not_items})
        report = {"cases": len(chosen), "exit": done.returncode, "printed": totals.group(0) if totals else None,
                  "items": sum(sum(c.values()) for c in per.values()), "unmatched": dict(per["(none)"]),
                  "rows": rows}
        if args.json:
            print(json.dumps(report, indent=1))
            return
        print("| input | what is hostile | outcome (items) | as expected |")
        print("|---|---|---|---|")
        for row in rows:
            note = f"; not items: {row['not items']}" if row["not items"] else ""
            print(f"| `{row['input']}` | {row['what']} | {row['outcome']}{note} | "
                  f"{'yes' if row['as expected'] else '**no**'} |")
        print()
        print(f"{report['cases']} inputs; `sitrep ingest` printed: {report['printed']}; exit {report['exit']}; "
              f"items matched to inputs: {report['items']}; unmatched: {report['unmatched'] or 'none'}")


def _describe(got: Counter[tuple[str, str]]) -> str:
    if not got:
        return "**nothing (silent)**"
    parts = []
    for (outcome, reason), n in sorted(got.items()):
        label = outcome + (f" ({reason})" if reason else "")
        parts.append(f"{n} {label}" if n > 1 else label)
    return ", ".join(parts)


if __name__ == "__main__":
    io.DEFAULT_BUFFER_SIZE = 1 << 16
    main()
