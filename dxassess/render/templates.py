"""Jinja2 environments: the shipped report templates, and users' templates in the sandbox."""

from __future__ import annotations

import json
import os
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
        if type(digits) is not int or not 0 <= digits <= 10:
            digits = max(0, min(int(digits), 10))  # a template cannot ask for a gigabyte of digits
        return f"{value:.{digits}f}"
    return str(value)


def pct(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def thousands(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


@lru_cache(maxsize=8)
def _globals(lang: str) -> dict[str, Any]:
    """What every template may use besides its data: `t()` and the punctuation of `lang` (made once
    per language; the dict is only ever spread into a render's own)."""

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
        bytecode_cache=_compiled_cache(),
    )
    return _install(env)


TEMPLATES_KEPT = 64  # compiled templates kept (the most recently used): a few versions' worth


def _compiled_cache(directory: str | None = None) -> Any:
    """Where the shipped templates, once compiled, are kept for the next run (compiling the report
    template takes about 0.2 s, loading it a millisecond): Jinja's own cache for this user in the
    system's temporary folder (on Unix a folder only the user may use, its owner and mode checked
    each time). An entry is used only for the same template name, the same template source and the
    same Python. No safe folder, or one that cannot be read or written: the templates are compiled
    each run, as without it. Users' templates (the sandbox) are never kept. Entries of earlier
    versions do not pile up: an entry used is marked as used (its time), and writing a new one
    removes all but the TEMPLATES_KEPT most recently used."""
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    class Kept(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # unreadable or damaged: compiled again (and kept anew)
                bucket.reset()
                return
            if bucket.code is not None:
                try:
                    os.utime(self._get_cache_filename(bucket))  # the name Jinja read it by
                except OSError:
                    pass

        def dump_bytecode(self, bucket: Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
                _prune(self.directory, self.pattern % ("",))
            except OSError:
                pass

    try:
        return Kept(directory, pattern="dxassess-%s.cache")
    except (OSError, RuntimeError):  # no folder only this user may write to
        return None


def _prune(folder: str, pattern: str) -> None:
    """Remove all but the TEMPLATES_KEPT most recently used compiled templates (`pattern`: their
    names without the key, "dxassess-.cache")."""
    start, end = pattern.split(".", 1)
    with os.scandir(folder) as found:
        kept = [e for e in found if e.name.startswith(start) and e.name.endswith("." + end) and e.is_file()]
    if len(kept) <= TEMPLATES_KEPT:
        return
    kept.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
    for old in kept[TEMPLATES_KEPT:]:
        try:
            os.unlink(old.path)
        except OSError:  # another process removed it first
            pass


def kept_folder() -> str | None:
    """The folder the compiled templates are kept in (`_compiled_cache`), or None without one: a
    batch keeps its checked questionnaires there too (dxassess.batch.resolving)."""
    cache = shipped_environment().bytecode_cache
    folder = getattr(cache, "directory", None)
    return folder if isinstance(folder, str) else None


def render_shipped(name: str, data: dict[str, Any], **extra: Any) -> str:
    template = shipped_environment().get_template(name)
    return template.render(**data, **_globals(data["lang"]), **extra)


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


MAX_TEMPLATE_BITS = 100_000  # largest number `**` or `*` may build in a user template
MAX_TEMPLATE_STEPS = 2_000_000  # lines of template code a user template may run (a report: ~10,000)
MAX_TEMPLATE_REPEAT = 1_000_000  # longest string or list `*` may build
MAX_TEMPLATE_TEXT = 20_000_000  # longest string or list any operation, filter or method may build,
# and the longest output (a report: ~0.1 MB)
MAX_TEMPLATE_WORK = 50_000_000  # characters and items all of them together may build in one render
MAX_TEMPLATE_WIDTH = 100_000  # widths and counts a template may give (`center`, `indent`, `%*s` ...)
MAX_TEMPLATE_BYTES = 1_000_000  # size of a template file

# Filters whose numeric arguments are widths or counts (the size of what they build).
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "urlize"})
# Filters that turn their subject into text (so its text is measured first), and filters that
# work through every item of their subject (so the text of all items is measured first: a
# million references to one long string are cheap to hold but not to lower-case a million times).
_TEXT_FILTERS = frozenset(
    {
        "string", "tojson", "pprint", "urlencode", "escape", "e", "forceescape", "upper", "lower", "title",
        "capitalize", "trim", "striptags", "wordcount", "truncate", "center", "indent", "wordwrap", "replace",
        "format", "urlize", "safe", "xmlattr", "filesizeformat", "md", "num", "pct", "thousands", "int", "float",
    }
)  # fmt: skip
_ITEM_FILTERS = frozenset(
    {
        "unique", "sort", "dictsort", "groupby", "min", "max", "map", "select", "reject", "selectattr",
        "rejectattr", "batch", "slice", "sum", "list", "reverse", "join", "items",
    }
)  # fmt: skip
# Methods of str whose numeric arguments are widths or counts.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace"})


def _size(value: Any) -> int:
    """What a value costs: characters, items, or (numbers) bytes of digits."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 8
    return 0


def _text_size(value: Any, cap: int = MAX_TEMPLATE_TEXT) -> int:
    """About how many characters `str(value)` would hold, found without building it and without
    walking a shared list twice; counting stops once past `cap`. A list of a million references
    to one long string is small to hold, its text is not."""
    known: dict[int, int] = {}

    def size(item: Any, depth: int) -> int:
        if isinstance(item, str):
            return len(item)
        if isinstance(item, (int, float, bool)) or item is None or depth > 20:
            return 64
        if id(item) in known:
            return known[id(item)]
        if isinstance(item, dict):
            items: Any = [*item.keys(), *item.values()]
        elif isinstance(item, (list, tuple, set, frozenset)):
            items = item
        elif type(item).__name__ == "Namespace":  # jinja2's namespace(): its repr shows its values
            items = list(getattr(item, "_Namespace__attrs", {}).values())
        else:
            return 64
        total = 2
        for part in items:
            total += (len(part) if isinstance(part, str) else size(part, depth + 1)) + 2
            if total > cap:
                break
        known[id(item)] = total
        return total

    return size(value, 0)


def _printf_fields(fmt: str) -> list[tuple[str, str]]:
    """The (width, precision) of each `%` field of a printf-style format."""
    import re

    return re.findall(r"%[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?[a-zA-Z%]", fmt)


@lru_cache(maxsize=1)
def _sandbox_class() -> Any:
    """Jinja2's immutable sandbox, stricter: a blocked attribute is an error (not an empty
    string), no template may load another file, and nothing can exhaust memory. Every operator,
    filter and method call that can grow a result is bounded: widths and counts are checked, and
    the size of what would be built is estimated, before anything is built; every result is
    measured after, and all of them count against one budget per render (`MAX_TEMPLATE_WORK`)."""
    import functools
    import re
    import string

    from jinja2 import BaseLoader
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class NoFiles(BaseLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            raise SecurityError(f"templates cannot include, import or extend other files ({template!r})")

    class LimitedJoins(CodeGenerator):
        """Compiles `a ~ b` so that each part is measured before it is turned into text
        (`Sandbox.part`) and the result after (`Sandbox.limit_text`): doubling a string in a loop
        would otherwise take all the memory before any other limit is reached."""

        def visit_Concat(self, node: Any, frame: Any) -> None:
            if frame.eval_ctx.volatile:
                join = "(markup_join if context.eval_ctx.volatile else str_join)"
            elif frame.eval_ctx.autoescape:
                join = "markup_join"
            else:
                join = "str_join"
            self.write(f"environment.limit_text({join}((")
            for arg in node.nodes:
                self.write("environment.part(")
                self.visit(arg, frame)
                self.write("), ")
            self.write(")))")

    def too_big(what: str) -> SecurityError:
        return SecurityError(f"{what} is too large for a template")

    def check_width(value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_WIDTH:
            raise too_big(f"the width or count {value}" if value.bit_length() < 64 else "a width or count")

    def check_estimate(size: int) -> None:
        if size > MAX_TEMPLATE_TEXT:
            raise too_big("the text or list this would build")

    def printf_estimate(fmt: str, args: Any) -> int:
        """Upper bound of `fmt % args`; widths and precisions are checked."""
        values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple) else [args]
        fields = _printf_fields(fmt)
        for width, precision in fields:
            for spec in (width, precision):
                if spec and spec != "*" and int(spec) > MAX_TEMPLATE_WIDTH:
                    raise too_big(f"the width {spec}")
        if "*" in fmt:
            for value in values:
                check_width(value)
        widest = max((_text_size(v) for v in values), default=0)
        return len(fmt) + len(fields) * (widest + MAX_TEMPLATE_WIDTH // 1000)

    def format_estimate(fmt: str, args: tuple, kwargs: dict) -> int:
        """Upper bound of `fmt.format(*args, **kwargs)`; widths in the specs are checked."""
        values = list(args) + list(kwargs.values())
        fields, literal, nested = 0, 0, False
        for text_part, field, spec, _ in string.Formatter().parse(fmt):
            literal += len(text_part)
            if field is None:
                continue
            fields += 1
            nested = nested or "{" in (spec or "")
            for number in re.findall(r"\d+", spec or ""):
                if int(number) > MAX_TEMPLATE_WIDTH:
                    raise too_big(f"the width {number}")
        if nested:  # a width given as an argument: `{0:{1}}`
            for value in values:
                check_width(value)
        widest = max((_text_size(v) for v in values), default=0)
        return literal + fields * (widest + MAX_TEMPLATE_WIDTH // 1000)

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*", "+", "%"})
        code_generator_class = LimitedJoins

        def __init__(self) -> None:
            super().__init__(autoescape=True, loader=NoFiles())
            self.globals.pop("lipsum", None)
            self.work = 0
            self.finalize = self.part  # every `{{ value }}` is measured before it becomes text

        def seal(self) -> Any:
            """Bound every filter installed (Jinja2's and dxassess's); call before compiling."""
            self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
            return self

        def part(self, value: Any) -> Any:
            """A value about to be turned into text (output or `~`): refused if that text would
            be too long."""
            if not isinstance(value, str) and _text_size(value) > MAX_TEMPLATE_TEXT:
                raise too_big("the text of a value")
            return value

        # -- measuring ----------------------------------------------------------------------

        def charge(self, value: Any) -> Any:
            """Count a result against the render's budget; refuse one too large by itself."""
            size = _size(value)
            if isinstance(value, int) and not isinstance(value, bool):
                if value.bit_length() > MAX_TEMPLATE_BITS:
                    raise too_big("the number")
            elif size > MAX_TEMPLATE_TEXT:
                raise too_big("the text or list")
            self.work += size
            if self.work > MAX_TEMPLATE_WORK:
                raise SecurityError("the template builds too much text (over the limit for one render)")
            return value

        def limit_text(self, value: Any) -> Any:
            return self.charge(value)

        # -- operators -----------------------------------------------------------------------

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
            if operator == "**" and ints and right > 0:
                if max(left.bit_length(), 1) * right > MAX_TEMPLATE_BITS:
                    raise too_big("the number")
            if operator == "*" and ints and left.bit_length() + right.bit_length() > MAX_TEMPLATE_BITS:
                raise too_big("the number")
            if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                if len(left) + len(right) > MAX_TEMPLATE_TEXT:
                    raise too_big("the text or list")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                        if len(seq) * times > MAX_TEMPLATE_REPEAT:
                            raise too_big("the repeated text or list")
            if operator == "%" and isinstance(left, str):
                check_estimate(printf_estimate(left, right))
            return self.charge(super().call_binop(context, operator, left, right))

        # -- filters and calls ---------------------------------------------------------------

        def _bounded_filter(self, name: str, fn: Any) -> Any:
            from jinja2.utils import _PassArg

            skip = 1 if _PassArg.from_obj(fn) is not None else 0
            check = getattr(self, f"_before_{name}", None)

            @functools.wraps(fn)
            def bounded(*args: Any, **kwargs: Any) -> Any:
                subject, rest = (args[skip], args[skip + 1 :]) if len(args) > skip else (None, ())
                if name in _TEXT_FILTERS:
                    self.part(subject)
                if name in _ITEM_FILTERS and _text_size(subject, MAX_TEMPLATE_WORK) > MAX_TEMPLATE_WORK:
                    raise too_big("the list to work through")
                if name in _WIDTH_FILTERS:
                    for value in (*rest, *kwargs.values()):
                        check_width(value)
                if check is not None:
                    args, kwargs = check(args, skip, subject, rest, kwargs)
                return self.charge(fn(*args, **kwargs))

            return bounded

        def _before_replace(self, args: tuple, skip: int, subject: Any, rest: tuple, kwargs: dict) -> Any:
            text = str(subject)
            old = str(rest[0] if rest else kwargs.get("old", ""))
            new = str(rest[1] if len(rest) > 1 else kwargs.get("new", ""))
            found = text.count(old) if old else len(text) + 1
            check_estimate(len(text) + found * max(0, len(new) - len(old)))
            return args, kwargs

        def _before_join(self, args: tuple, skip: int, subject: Any, rest: tuple, kwargs: dict) -> Any:
            items = subject if isinstance(subject, (str, list, tuple)) else list(subject)
            glue = str(rest[0] if rest else kwargs.get("d", ""))
            if not (rest[1:] or "attribute" in kwargs):
                sizes = sum(len(i) if isinstance(i, str) else 64 for i in items)
                check_estimate(sizes + len(glue) * max(0, len(items) - 1))
            return (*args[:skip], items, *rest), kwargs

        def _before_sum(self, args: tuple, skip: int, subject: Any, rest: tuple, kwargs: dict) -> Any:
            items = subject if isinstance(subject, (list, tuple)) else list(subject)
            check_estimate(sum(_size(i) for i in items if not isinstance(i, (int, float))))
            return (*args[:skip], items, *rest), kwargs

        def _before_format(self, args: tuple, skip: int, subject: Any, rest: tuple, kwargs: dict) -> Any:
            check_estimate(printf_estimate(str(subject), kwargs or tuple(rest)))
            return args, kwargs

        def _before_wordwrap(self, args: tuple, skip: int, subject: Any, rest: tuple, kwargs: dict) -> Any:
            width = rest[0] if rest else kwargs.get("width", 79)
            glue = rest[2] if len(rest) > 2 else kwargs.get("wrapstring") or "\n"
            text = str(subject)
            breaks = len(text) // max(1, int(width) if isinstance(width, int) else 1) + 1
            check_estimate(len(text) + breaks * len(str(glue)))
            return args, kwargs

        def _before_indent(self, args: tuple, skip: int, subject: Any, rest: tuple, kwargs: dict) -> Any:
            width = rest[0] if rest else kwargs.get("width", 4)
            text = str(subject)
            per_line = len(width) if isinstance(width, str) else int(width) if isinstance(width, int) else 4
            check_estimate(len(text) + (text.count("\n") + 1) * per_line)
            return args, kwargs

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            owner = getattr(__obj, "__self__", None)
            name = getattr(__obj, "__name__", "")
            fmt = getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
            if name in ("format", "format_map") and isinstance(fmt, str):
                if name == "format_map":
                    mapping = args[0] if args and isinstance(args[0], dict) else {}
                    check_estimate(format_estimate(fmt, (), mapping))
                else:
                    check_estimate(format_estimate(fmt, args, kwargs))
            elif isinstance(owner, str):
                if name in _WIDTH_METHODS:
                    for value in (*args, *kwargs.values()):
                        check_width(value)
                if name == "replace" and len(args) >= 2:
                    old, new = str(args[0]), str(args[1])
                    found = owner.count(old) if old else len(owner) + 1
                    check_estimate(len(owner) + found * max(0, len(new) - len(old)))
                elif name == "expandtabs":
                    tab = args[0] if args and isinstance(args[0], int) else 8
                    check_estimate(len(owner) * max(1, tab))
                elif name == "join" and args:
                    items = args[0] if isinstance(args[0], (str, list, tuple)) else list(args[0])
                    check_estimate(_text_size(items) + len(owner) * len(items))
                    args = (items, *args[1:])
                elif name == "translate" and args and isinstance(args[0], dict):
                    widest = max((_size(v) for v in args[0].values()), default=1)
                    check_estimate(len(owner) * max(1, widest))
            return __self.charge(super().call(__context, __obj, *args, **kwargs))

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} objects is unsafe")

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
    """Render within the step budget, the output bounded to MAX_TEMPLATE_TEXT characters."""
    import sys

    from jinja2.sandbox import SecurityError

    previous = sys.gettrace()
    sys.settrace(_Steps(MAX_TEMPLATE_STEPS).call)
    try:
        parts, size = [], 0
        for part in template.generate(**context):
            size += len(part)
            if size > MAX_TEMPLATE_TEXT:
                raise SecurityError("the template writes too much (over the limit for a report)")
            parts.append(part)
        return "".join(parts)
    finally:
        sys.settrace(previous)


def render_user_template(path: Path, data: dict[str, Any]) -> str:
    """Render a user's template in Jinja2's sandbox with autoescaping: it cannot read files,
    import, or reach Python internals. A refused or broken template is an InputError."""
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    from dxassess.files import SpecialFile, TooLarge, read_input

    try:
        source = read_input(path, MAX_TEMPLATE_BYTES).decode("utf-8-sig")
    except TooLarge as exc:
        what = msg("read.too_large", mb=exc.size / 1e6, limit=MAX_TEMPLATE_BYTES // 1_000_000)
        raise InputError(what, path=str(path), code="DX401") from None
    except SpecialFile:
        raise InputError(msg("read.special_file"), path=str(path), code="DX401") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise InputError(msg("template.unreadable", reason=reason), path=str(path), code="DX401") from None
    env = _install(_sandbox_class()()).seal()
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
