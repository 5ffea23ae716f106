"""The brief as PDF: WeasyPrint lays out the HTML page (images inline) with Debian's pango and the
DejaVu fonts (`make pango`); links stay live, so `base_url` should be the server's address."""

from __future__ import annotations

from sitrep.brief.compose import Brief
from sitrep.brief.render_html import render_html


def render_pdf(brief: Brief, *, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: loading pango takes a while and only PDFs need it

    return HTML(string=render_html(brief, base_url=base_url)).write_pdf()
