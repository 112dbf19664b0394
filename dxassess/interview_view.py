"""How the interview looks: the question screen, help, and answer values as text.

Pure functions of the questionnaire and the answers that return rich renderables; the session
(`interview.py`) decides when to print them. rich measures East Asian wide characters, so
Japanese columns line up at any width.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from dxassess.controls import printable
from dxassess.model import ChoiceQuestion, NumericQuestion, Questionnaire, ScaleQuestion, YesNoQuestion
from dxassess.text import pick as pick_language
from dxassess.text import text


def pick(texts: Any, lang: str) -> str:
    """A questionnaire or catalogue text in `lang`, safe for the terminal (control characters
    written as visible escapes: no text from a file can act on the terminal)."""
    return printable(pick_language(texts, lang), multiline=True)


def number(value: float) -> str:
    return f"{value:g}"


def scale_rows(questionnaire: Questionnaire, question: ScaleQuestion, lang: str) -> list[tuple[str, str, str]]:
    """(key, label, description) of each level, with the question's own overrides applied."""
    scale = questionnaire.scales.get(question.scale)
    rows = []
    for level in scale.levels if scale else []:
        override = question.levels.get(level.level)
        title = override.label if override and override.label else level.label
        description = override.description if override else level.description
        rows.append((str(level.level), pick(title, lang), pick(description, lang)))
    return rows


def option_rows(questionnaire: Questionnaire, question: Any, lang: str) -> list[tuple[str, str, str]]:
    """The numbered options of a question: levels 0–5, choices and yes/no from 1."""
    if isinstance(question, ScaleQuestion):
        rows = scale_rows(questionnaire, question, lang)
    elif isinstance(question, ChoiceQuestion):
        rows = [(str(i), pick(o.label, lang), "") for i, o in enumerate(question.options, start=1)]
    elif isinstance(question, YesNoQuestion):
        rows = [
            ("1", text("report.yes", lang), pick(question.yes_description, lang)),
            ("2", text("report.no", lang), ""),
        ]
    else:
        rows = []
    if question.na_allowed:
        rows.append(("x", text("interview.na", lang), ""))
    return rows


def default_key(question: Any, answer: dict[str, Any] | None) -> str | None:
    """What Enter accepts: the current answer as the user would type it."""
    if not answer:
        return None
    if answer.get("na"):
        return "x"
    if answer.get("skipped"):
        return "s"
    value = answer.get("value")
    if value is None:
        return None
    if isinstance(question, YesNoQuestion):
        return "1" if value else "2"
    if isinstance(question, ChoiceQuestion):
        keys = [o.key for o in question.options]
        return str(keys.index(value) + 1) if value in keys else None
    if isinstance(question, NumericQuestion):
        return number(value)
    return str(value)


def value_text(questionnaire: Questionnaire, question: Any, answer: dict[str, Any] | None, lang: str) -> str:
    """An answer as a person reads it: `3 全庁`, `はい`, `6.5 年`, `該当なし`."""
    if not answer:
        return ""
    if answer.get("na"):
        return text("interview.na", lang)
    if answer.get("skipped"):
        return text("interview.skipped", lang)
    value = answer.get("value")
    if isinstance(question, YesNoQuestion):
        return text("report.yes" if value else "report.no", lang)
    if isinstance(question, ChoiceQuestion):
        return next((pick(o.label, lang) for o in question.options if o.key == value), printable(value))
    if isinstance(question, NumericQuestion) and isinstance(value, (int, float)):
        unit = pick(question.unit, lang)
        return f"{number(value)}{unit}" if lang == "ja" else f"{number(value)} {unit}"
    if isinstance(question, ScaleQuestion):
        names = {key: name for key, name, _ in scale_rows(questionnaire, question, lang)}
        return f"{value} {names.get(str(value), '')}".strip()
    return printable(value)


def _bars(domains: list[tuple[str, int, int]], current: int, scale: float, numbered: bool) -> Text:
    line = Text()
    for i, (_, done, count) in enumerate(domains):
        cells = max(1, int(count * scale)) if count else 0
        filled = round(cells * done / count) if count else 0
        bar = (f"{i + 1}:" if numbered else "") + "■" * filled + "□" * (cells - filled)
        line.append(f"[{bar}]" if i == current else f" {bar} ", style="bold" if i == current else "")
    return line


def progress_line(domains: list[tuple[str, int, int]], current: int, width: int, lang: str) -> Text:
    """One bar per domain (answered ■, open □), the current domain in brackets; one line at
    any width: bars shrink, and the domain numbers go first when space runs out."""
    head = Text(text("interview.progress_label", lang) + " ", style="dim")
    room = max(1, width - head.cell_len)
    total = sum(count for _, _, count in domains) or 1
    for numbered, smallest in ((True, 0.6), (False, 0.05)):
        scale = 1.0
        while scale > smallest:
            bars = _bars(domains, current, scale, numbered)
            if bars.cell_len <= room:
                return head + bars
            scale *= 0.9
    return head + _bars(domains, current, 1 / total, False)


NARROW = 50  # columns below which a question shows its options without their descriptions


def options_grid(rows: list[tuple[str, str, str]], current: str | None, width: int) -> Table:
    """Options as aligned columns: marker, key, label and description; long texts fold onto
    the next line under their own column (Japanese has no spaces to break at). On a narrow
    screen, key and label only: the descriptions would push the question off the top (`?`
    shows them)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(justify="right", width=max(len(key) for key, _, _ in rows), no_wrap=True)
    described = width >= NARROW and any(description for _, _, description in rows)
    if described:
        label_width = min(max(cell_len(name) for _, name, _ in rows), max(8, width // 4))
        grid.add_column(width=label_width, overflow="fold")
    grid.add_column(ratio=1, overflow="fold")
    for key, name, description in rows:
        cells = [name, Text(description, style="dim")] if described else [name]
        grid.add_row("*" if key == current else "", key, *cells)
    return grid


def question_screen(
    questionnaire: Questionnaire,
    question: Any,
    answer: dict[str, Any] | None,
    position: tuple[int, int],
    domain_index: tuple[int, int],
    domains: list[tuple[str, int, int]],
    width: int,
    lang: str,
    stale: str | None = None,
    changed: str | None = None,
) -> RenderableType:
    """Everything shown for one question, top to bottom; `stale` says why the answer needs
    confirming (evidence expired, or old), with the key that confirms it; `changed`, for an
    answer carried from an earlier version whose question changed, why (or "" without a reason)."""
    domain = questionnaire.domain_of(question.id)
    parts: list[RenderableType] = [Rule(Text(question.id, style="dim"), align="right")]
    head = Text(text("interview.progress", lang, i=position[0], n=position[1]), style="bold")
    head.append(
        text("interview.sep", lang) + text("interview.domain", lang, d=domain_index[0] + 1, nd=domain_index[1]) + " "
    )
    head.append(pick(domain.title, lang), style="bold")
    done, count = domains[domain_index[0]][1:]
    head.append(text("interview.domain_done", lang, done=done, n=count))
    parts.append(head)
    if width >= NARROW:  # on a narrow screen the question must stay in sight
        parts.append(progress_line(domains, domain_index[0], width, lang))
    parts.append(Text(""))
    parts.append(Text(pick(question.text, lang), style="bold"))
    if isinstance(question, NumericQuestion):
        unit = pick(question.unit, lang)
        bounds = text("interview.unit_range", lang, unit=unit, min=number(question.min), max=number(question.max))
        if question.integer:
            bounds += text("interview.whole_numbers", lang)
        parts.append(Text(bounds))
    rows = option_rows(questionnaire, question, lang)
    current = default_key(question, answer)
    if rows:
        parts.append(options_grid(rows, current, width))
        if width < NARROW and any(description for _, _, description in rows):
            parts.append(Text(text("interview.narrow_hint", lang), style="dim"))
    if answer:
        status = text("interview.current_value", lang, value=value_text(questionnaire, question, answer, lang))
        if answer.get("note"):
            status += text("interview.sep", lang) + text("interview.flag_note", lang)
        if answer.get("review"):
            status += text("interview.sep", lang) + text("interview.flag_review", lang)
        if current and rows and current in {k for k, _, _ in rows}:
            status += text("interview.current_legend", lang)
        parts.append(Text(status))
    if stale:
        parts.append(Text(text("interview.stale_line", lang, why=stale), style="bold"))
    if changed is not None:
        why = text("interview.changed_why", lang, why=changed) if changed else ""
        parts.append(Text(text("interview.changed_line", lang, why=why), style="bold"))
    parts.append(Text(text("interview.keys", lang), style="dim"))
    return Group(*parts)


def help_screen(
    question: Any, catalogue: Any, lang: str, rows: list[tuple[str, str, str]] | None = None
) -> RenderableType:
    """What `?` shows: the question's help, what yes means, and the manual sections it assesses;
    with `rows` (a narrow screen, whose question shows labels only), each option's description."""
    parts: list[RenderableType] = []
    for key, name, description in rows or []:
        if description:
            parts.append(Text(f"{key} {name}: {description}"))
    help_text = pick(question.help, lang)
    parts.append(Text(help_text or text("interview.no_help", lang)))
    if isinstance(question, YesNoQuestion) and question.yes_description:
        parts.append(Text(text("interview.yes_means", lang, text=pick(question.yes_description, lang))))
    sections = catalogue.section_map() if catalogue is not None else {}
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for ref in question.manual:
        section = sections.get(ref)
        grid.add_row(ref, pick(section.title, lang) if section else "")
    parts.append(Text(text("interview.manual_refs", lang) + ":", style="dim"))
    parts.append(grid)
    return Group(*parts)
