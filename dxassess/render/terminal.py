"""Results in the terminal: the score table of `score` and the end of an interview, and the
change table of `compare` (rich tables; texts from the report catalogue). Texts from input files
go in as plain `Text` (never rich markup) with control characters escaped (`controls`)."""

from __future__ import annotations

from typing import Any

from dxassess.controls import printable
from dxassess.text import text


def _plain(value: Any) -> Any:
    """An input text for a table: no markup, no control characters."""
    from rich.text import Text

    return Text(printable(value))


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def print_summary(data: dict[str, Any], lang: str, console: Any) -> None:
    """The first page of the report in the terminal: the standing and the actions to start with."""
    from rich.text import Text

    summary = data["summary"]
    console.print(Text(summary["standing_text"]))
    if not summary["first"]:
        return
    from rich.table import Table

    console.print(Text(text("report.first_actions", lang), style="bold"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for i, action in enumerate(summary["first"], start=1):
        plan = text("report.part_sep", lang).join(
            part for part in (action["owner_label"], action["when"], action["budget"]) if part
        )
        body = Text(action["title"])
        body.append("\n" + plan, style="dim")
        grid.add_row(f"{i}.", body)
    console.print(grid)


def print_score_table(data: dict[str, Any], lang: str, console: Any = None) -> None:
    """The first page's summary, then the domains' scores, targets and gaps of one report's data."""
    from rich.console import Console
    from rich.table import Table

    from dxassess.kinsoku import use_japanese_line_breaking

    use_japanese_line_breaking()
    console = console or Console()
    m = data["municipality"]
    title = _plain(
        f"{m['name']} ({m['code']}) — {data['tier_label']} — {text('report.assessed', lang)} {data['assessed_label']}"
    )
    table = Table(title=title, title_justify="left")
    table.add_column(text("report.domain", lang))
    table.add_column(text("report.score", lang), justify="right")
    table.add_column(text("report.target", lang), justify="right")
    table.add_column(text("report.gap", lang), justify="right")
    table.add_column("", no_wrap=True)
    for d in data["domains"].values():
        score, target = d["score"], d["target"]
        bar = "—" if score is None else "■" * int(round(score)) + "□" * (5 - int(round(score)))
        table.add_row(_plain(d["title"]), _fmt(score), _fmt(target), _fmt(d["gap"]), bar)
    table.add_section()
    table.add_row(text("report.overall", lang), _fmt(data["overall"]), _fmt(data["overall_target"]), "", "")
    console.print(table)
    print_summary(data, lang, console)
    completeness = f"{text('report.completeness', lang)}: {data['completeness'] * 100:.0f}%"
    console.print(f"{completeness}   {text('report.gaps', lang)}: {len(data['gaps'])}")


def print_change_table(data: dict[str, Any], lang: str, console: Any = None) -> None:
    """The change since the previous assessment, by domain, of one report's data."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    change = data["previous"]
    table = Table(
        title=_plain(f"{data['municipality']['name']}: {change['assessed']} → {data['assessed']}"),
        title_justify="left",
    )
    for name in ("domain", "previous", "current", "delta"):
        table.add_column(text(f"report.{name}", lang), justify="left" if name == "domain" else "right")
    table.add_column("")
    for row in [change["overall"], *change["domains"]]:
        sign = "" if row["delta"] is None else f"{row['delta']:+.2f}"
        marker = {"improved": "▲", "worsened": "▼", "unchanged": "＝"}.get(row["status"], "")
        label = _plain(f"{marker} {row['status_label']}")
        table.add_row(_plain(row["title"]), _fmt(row["old"]), _fmt(row["new"]), sign, label)
    console.print(table)
    counts = change["counts"]
    console.print(
        f"{text('report.question', lang)}: {text('report.improved', lang)} {counts['improved']} / "
        f"{text('report.worsened', lang)} {counts['worsened']} / {text('report.unchanged', lang)} {counts['unchanged']}"
    )
