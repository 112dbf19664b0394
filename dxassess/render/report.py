"""A Result as a report in one format: HTML, Markdown, JSON, or a user's own template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FORMATS = ("html", "md", "json")


def report_text(
    result: Any,
    fmt: str,
    lang: str,
    template: Path | None = None,
    max_age: int | None = None,
    peers: Any = None,
) -> str:
    """The report of `result` (a dxassess.assess.Result) in `fmt`, texts in `lang`; with
    `template`, the report data rendered by that Jinja2 template in the sandbox. `peers`:
    (path, consenting municipalities) of a peers.json, for the data key `peers` (who to ask)."""
    from dxassess.render.context import build
    from dxassess.render.templates import render_json, render_shipped, render_user_template

    data = build(result, lang, max_age=max_age)
    if peers is not None:
        from dxassess.peersfile import asks_data
        from dxassess.render.html import CARD_COUNT

        path, named = peers
        data["peers"] = asks_data(result, named, lang, CARD_COUNT, path.name)
    if template is not None:
        return render_user_template(template, data)
    if fmt == "json":
        return render_json(data)
    if fmt == "md":
        from dxassess.render.parts import written_date

        return render_shipped("report.md.j2", data, day=lambda value: written_date(value, lang))
    from dxassess.render.html import render_html

    return render_html(data)
