"""The situation brief (issue 17 item 5): one place, country or box over one period, as Markdown,
HTML or PDF.

`compose.compose` reads every figure from the store's own aggregate queries (the ones behind
/api/aggregates/events) into a `Brief`; `render_md`, `render_html` and `render_pdf` write it;
`charts` draws its static map and weekly timeline with matplotlib (no network). `sitrep brief`
(cli_brief.py) and the dashboard's `/brief` (web/brief.py) are the two ways in.
"""

from sitrep.brief.compose import Brief, Scope, compose

__all__ = ["Brief", "Scope", "compose"]
