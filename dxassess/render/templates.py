"""Jinja2 environments: the shipped report templates, and users' templates in the sandbox."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dxassess.errors import InputError
from dxassess.text import msg, text
from dxassess.text.problems import os_reason

_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[]!|~"}
_MD_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " "})
_MD_TABLE = str.maketrans(_MD_ESCAPES)


def md_cell(value: Any) -> str:
    """Text from a file or an answer, inert in Markdown (inside a table cell or running text): no
    HTML, no link, no image, no emphasis; one line."""
    return ("" if value is None else str(value)).translate(_MD_TABLE)


def css_string(value: Any) -> Markup:
    """Text inside a double-quoted CSS string (the printed report's running title)."""
    out = []
    for char in "" if value is None else str(value):
        out.append(char if char.isalnum() or char in " -_.:/()（）・、。" else f"\\{ord(char):x} ")
    return Markup("".join(out))


def num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        digits = max(0, min(int(digits), 10))  # a template cannot ask for a gigabyte of digits
        return f"{value:.{digits}f}"
    return str(value)


def pct(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def thousands(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _globals(lang: str) -> dict[str, Any]:
    def t(key: str, **values: Any) -> str:
        return text(f"report.{key}", lang, **values)

    # punctuation that differs by language: （…） / " (…)", 、 / ", ", 【…】 / "[…] "
    marks = {
        name: t(key)
        for name, key in (
            ("po", "paren_open"),
            ("pc", "paren_close"),
            ("sep", "list_sep"),
            ("psep", "part_sep"),
            ("mo", "mark_open"),
            ("mc", "mark_close"),
        )
    }
    return {"t": t, **marks}


def _install(env: Any) -> Any:
    env.filters.update({"md": md_cell, "num": num, "pct": pct, "thousands": thousands, "css": css_string})
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.keep_trailing_newline = True
    return env


@lru_cache(maxsize=4)
def shipped_environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from dxassess.library import data_dir

    env = Environment(
        loader=FileSystemLoader(str(data_dir("reports"))),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2", "svg"), default=False),
        undefined=StrictUndefined,
        auto_reload=False,
    )
    return _install(env)


def render_shipped(name: str, data: dict[str, Any], **extra: Any) -> str:
    template = shipped_environment().get_template(name)
    return template.render(**data, **_globals(data["lang"]), **extra)


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


MAX_TEMPLATE_BITS = 100_000  # largest number `**` may build in a user template
MAX_TEMPLATE_STEPS = 2_000_000  # lines of template code a user template may run (a report: ~10,000)
MAX_TEMPLATE_REPEAT = 1_000_000  # longest string or list `*` may build
MAX_TEMPLATE_TEXT = 20_000_000  # longest string or list `~` and `+` may build (a report: ~0.1 MB)


@lru_cache(maxsize=1)
def _sandbox_class() -> Any:
    """Jinja2's immutable sandbox, stricter: a blocked attribute is an error (not an empty
    string), no template may load another file, and `**`, `*`, `+` and `~` cannot exhaust memory."""
    from jinja2 import BaseLoader
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class NoFiles(BaseLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            raise SecurityError(f"templates cannot include, import or extend other files ({template!r})")

    class LimitedJoins(CodeGenerator):
        """Compiles `a ~ b` so its result goes through `Sandbox.limit_text`: doubling a string in
        a loop would otherwise take all the memory before any other limit is reached."""

        def visit_Concat(self, node: Any, frame: Any) -> None:
            self.write("environment.limit_text(")
            super().visit_Concat(node, frame)
            self.write(")")

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*", "+"})
        code_generator_class = LimitedJoins

        def limit_text(self, value: Any) -> Any:
            if len(value) > MAX_TEMPLATE_TEXT:
                raise SecurityError("the text is too long for a template")
            return value

        def __init__(self) -> None:
            super().__init__(autoescape=True, loader=NoFiles())
            self.globals.pop("lipsum", None)

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} objects is unsafe")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(left.bit_length(), 1) * right > MAX_TEMPLATE_BITS:
                    raise SecurityError("the number is too large for a template")
            if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                if len(left) + len(right) > MAX_TEMPLATE_TEXT:
                    raise SecurityError("the text or list is too long for a template")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                        if len(seq) * times > MAX_TEMPLATE_REPEAT:
                            raise SecurityError("the repeated text or list is too long for a template")
            return super().call_binop(context, operator, left, right)

    return Sandbox


class _Steps:
    """A step budget for a user template: a trace function counting the lines run in template
    code only (`sys.settrace`, on every platform), so `{% for %}` loops nested over large ranges
    end in a clean error instead of running for hours."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def call(self, frame: Any, event: str, arg: Any) -> Any:
        return self.line if frame.f_code.co_filename == "<template>" else None

    def line(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            self.left -= 1
            if self.left < 0:
                from jinja2.sandbox import SecurityError

                raise SecurityError(f"the template runs too long (over {MAX_TEMPLATE_STEPS:,} steps)")
        return self.line


def _render_limited(template: Any, context: dict[str, Any]) -> str:
    import sys

    previous = sys.gettrace()
    sys.settrace(_Steps(MAX_TEMPLATE_STEPS).call)
    try:
        return template.render(**context)
    finally:
        sys.settrace(previous)


def render_user_template(path: Path, data: dict[str, Any]) -> str:
    """Render a user's template in Jinja2's sandbox with autoescaping: it cannot read files,
    import, or reach Python internals. A refused or broken template is an InputError."""
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    try:
        source = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise InputError(msg("template.unreadable", reason=reason), path=str(path), code="DX401") from None
    env = _install(_sandbox_class()())
    try:
        template = env.from_string(source)
        return _render_limited(template, {**data, **_globals(data["lang"])})
    except SecurityError as exc:
        raise InputError(msg("template.refused", reason=str(exc)), path=str(path), code="DX402") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(
            msg("template.error", reason=str(exc.message or exc)), path=str(path), line=line, code="DX403"
        ) from None
    except (
        TypeError,
        ValueError,
        ZeroDivisionError,
        KeyError,
        AttributeError,
        OverflowError,
        RecursionError,
        MemoryError,
    ) as exc:
        raise InputError(
            msg("template.failed", kind=type(exc).__name__, reason=str(exc)), path=str(path), code="DX403"
        ) from None
