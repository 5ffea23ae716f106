"""The brief as one self-contained HTML page (jinja2 template templates/brief.html.j2).

The map and timeline are inlined as PNG data URIs, so the page (and the PDF WeasyPrint makes of
it) needs no file beside it and no network. Every count links to the incidents it counts
(brief/links.py) under `base_url`: "" on the server's own /brief, the server's address otherwise.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from sitrep.brief import charts
from sitrep.brief.compose import HEADLINE_KINDS, Brief, Range
from sitrep.brief.links import incident_url, incidents_url


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("sitrep.brief", "templates"),
                       autoescape=select_autoescape(("html", "html.j2")), trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def range_text(figure: Range | None) -> str:
    """"72 (12 to 72)": best, then the span of the reports; blank when nobody reported it."""
    if figure is None:
        return ""
    if figure.low == figure.best == figure.high:
        return str(figure.best)
    return f"{figure.best} ({figure.low} to {figure.high})"


def context(brief: Brief, base_url: str) -> dict[str, Any]:
    """What both templates (HTML and Markdown) are given."""
    return {
        "b": brief, "kinds": HEADLINE_KINDS, "days": (brief.current.date_to - brief.current.date_from).days + 1,
        "url": lambda params: incidents_url(base_url, params),
        "incident_url": lambda incident_id: incident_url(base_url, incident_id),
        "signed": signed, "percent": percent, "range_text": range_text, "dict": dict,
    }


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(brief: Brief, *, base_url: str = "", images: bool = True) -> str:
    """The page; `images=False` leaves the map and timeline out (the weekly table stays)."""
    pictures = {"map": data_uri(charts.map_png(brief)), "timeline": data_uri(charts.timeline_png(brief))} \
        if images else None
    return environment().get_template("brief.html.j2").render(images=pictures, **context(brief, base_url))
