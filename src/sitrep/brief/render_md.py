"""The brief as Markdown (jinja2 template templates/brief.md.j2), its numbers linked like the HTML's.

Images: written beside the Markdown file (`<stem>.map.png`, `<stem>.timeline.png`) and linked by
relative path, so the file opens in any Markdown viewer; on standard output there is nowhere to
put them and they are left out (the weekly table stays).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader

from sitrep.brief import charts
from sitrep.brief.compose import Brief, Contested, Statement
from sitrep.brief.render_html import context

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def md(text: object) -> str:
    """Text from reports made inert in Markdown: its brackets, emphasis and table pipes escaped."""
    return " ".join(str(text).split()).translate(_SPECIAL)


def _cell(statement: Statement | None) -> str:
    if statement is None:
        return ""
    who = ", ".join(statement.who) or "not named in the report"
    where = f"{statement.outlet or 'unknown outlet'}, {statement.published or 'undated'}"
    link = f", <{statement.url}>" if statement.url else ""
    return f"{md(who)} ({md(where)}{link}): “{md(statement.text or '')}”"


def sides(contested: Contested) -> list[tuple[str, str]]:
    """Claims and denials as table rows, side by side."""
    rows = max(len(contested.claims), len(contested.denials))
    return [(_cell(contested.claims[i] if i < len(contested.claims) else None),
             _cell(contested.denials[i] if i < len(contested.denials) else None)) for i in range(rows)]


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("sitrep.brief", "templates"), autoescape=False,  # noqa: S701 - Markdown
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md
    return env


def render_md(brief: Brief, *, base_url: str, out: Path | None = None) -> str:
    """The Markdown text; with `out` (the .md file to be written) the two images are saved beside it."""
    images = None
    if out is not None:
        images = {}
        for name, draw in (("map", charts.map_png), ("timeline", charts.timeline_png)):
            path = out.with_name(f"{out.stem}.{name}.png")
            path.write_bytes(draw(brief))
            images[name] = path.name
    return environment().get_template("brief.md.j2").render(images=images, sides=sides,
                                                            **context(brief, base_url))
