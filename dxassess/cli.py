"""The typer app: one thin function per command, over `dxassess.api` and the command adapters in
`dxassess.commands`. Options shared by commands are defined once here. Heavy modules are
imported inside commands, so `--help` stays fast."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from dxassess import __version__
from dxassess.errors import DxassessError, ExitCode, UsageError

app = typer.Typer(
    name="dxassess",
    help="Measure a municipality's DX readiness against the national DX manual and plan. "
    "自治体DX推進手順書に照らして、自治体のDX推進状況を診断します。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Lang(str, Enum):
    ja = "ja"
    en = "en"


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"
    sarif = "sarif"


class SchemaKind(str, Enum):
    questionnaire = "questionnaire"
    answers = "answers"
    catalogue = "catalogue"


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    json = "json"


class SheetFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    yaml = "yaml"


class OwnerChoice(str, Enum):
    """The departments questions name as their usual owner (dxassess.model.Owner)."""

    dx = "dx"
    personnel = "personnel"
    finance = "finance"
    general_affairs = "general_affairs"
    departments = "departments"
    executive = "executive"


# -- options every command shares, defined once ---------------------------------------------

LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language (ja|en); default from the locale. 表示言語（既定は環境の言語）。"),
]
QuestionnaireOpt = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        help="A questionnaire: built-in id (municipal-dx), id@version, a file, or a folder of them. "
        "Commands that read answer files search it first for the id and version each file names. "
        "設問票（同梱の id、ファイル、またはフォルダ）。",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Output JSON. JSON で出力します。")]
# -- team assessment: a part of the questionnaire, handed out by domain or by owner
DomainOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        help="A part: the questions of this domain (repeatable). 部署分担: この分野の設問（複数指定可）。",
        show_default=False,
    ),
]
OwnerOpt = Annotated[
    list[OwnerChoice] | None,
    typer.Option(
        "--owner",
        help="A part: the questions this department usually owns (repeatable); with --domain, both must match. "
        "部署分担: この部署が担当する設問（複数指定可）。",
        show_default=False,
    ),
]
PartOpt = Annotated[
    str | None, typer.Option("--part", help="Name of the part (default: from the selection). 部分回答の名前。")
]
RespondentOpt = Annotated[
    str | None,
    typer.Option("--respondent", help="Who answers the part: a section or post, e.g. 人事課. 回答する課・係。"),
]
MaxAgeOpt = Annotated[
    int | None,
    typer.Option(
        "--max-age",
        min=1,
        max=120,
        help="Flag answers given more than this many months ago (default: 12); expired evidence is always flagged. "
        "この月数より前の回答に再確認の印を付けます（既定は12）。",
    ),
]
CutoffOpt = Annotated[
    int | None,
    typer.Option(
        "--budget-cutoff",
        min=1,
        max=12,
        help="Month by whose end next year's budget requests must be in (default: 10, October); "
        "decides when actions that need money can start.",
    ),
]
# Input paths are given `readable=False`: dxassess checks and reports an unreadable input itself,
# as one line with exit code 1 (typer's own check would be a usage error, exit code 2).
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Overwrite answer files that dxassess did not write, or that were edited after it wrote them. "
        "編集済みのファイルも上書きします。",
    ),
]


def _lang(value: Any = None) -> str:
    """The language of the output: `--lang` when given, else the locale's (`DXASSESS_LANG`,
    `LC_ALL`, `LC_MESSAGES`, `LANG`, `LANGUAGE`, Windows' display language)."""
    if isinstance(value, Enum):
        value = value.value
    if value in ("ja", "en"):
        return str(value)
    from dxassess.text import default_lang

    return default_lang()


def _err(line: str) -> None:
    from dxassess.controls import printable

    sys.stderr.write(printable(line.rstrip("\n")) + "\n")
    sys.stderr.flush()


def _interrupted(lang: str) -> str:
    from dxassess.text import text

    return text("report.interrupted", lang)


class _StdoutFailed(OSError):
    """A write to standard output failed. Still an OSError, so that the interview treats it as a
    terminal gone away, as before; elsewhere it becomes one error line with exit code 1."""

    def __init__(self, message: Any) -> None:
        super().__init__(message.en)
        self.message = message

    def error(self) -> DxassessError:
        from dxassess.errors import OutputError

        return OutputError(self.message)


class _Stdout:
    """Standard output while a command runs: a write or flush that fails (a full disk, an I/O
    error, a closed stream) raises _StdoutFailed, which the command reports as one line with
    exit code 1. A broken pipe (the reader left, as `| head` does) stays BrokenPipeError."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.failed = False

    def _call(self, name: str, *args: Any) -> Any:
        from dxassess.text import msg

        if self._inner is None:
            self.failed = True
            raise _StdoutFailed(msg("output.stdout_closed"))
        try:
            return getattr(self._inner, name)(*args)
        except (BrokenPipeError, _StdoutFailed):  # the latter from a watch around the real stream
            self.failed = True
            raise
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed
            from dxassess.files import reason_of

            self.failed = True
            reason = reason_of(exc) if isinstance(exc, OSError) else msg("output.stdout_closed")
            raise _StdoutFailed(msg("output.stdout", reason=reason)) from None

    def write(self, data: str) -> Any:
        return self._call("write", data)

    def isatty(self) -> bool:
        try:
            return bool(self._inner.isatty())
        except (AttributeError, OSError, ValueError):
            return False

    def flush(self) -> Any:
        return self._call("flush")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def silence(self) -> None:
        """After a failed write: nothing more may fail at exit (see `files.silence`)."""
        from dxassess.files import silence

        silence(self._inner)


def handled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn core errors into one line on stderr (in the command's language) and the documented
    exit code. Standard output is watched (`_Stdout`): a full disk or a closed stream is an
    error line too, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = _lang(kwargs.get("lang"))
        stdout = _Stdout(sys.stdout)
        sys.stdout = stdout
        try:
            try:
                return fn(*args, **kwargs)
            finally:
                if stdout._inner is not None and not stdout.failed:
                    stdout.flush()  # a full disk shows here: report it while we can
        except DxassessError as exc:
            _err(exc.one_line(lang))
            raise typer.Exit(int(exc.exit_code)) from None
        except _StdoutFailed as exc:
            _err(exc.error().one_line(lang))
            raise typer.Exit(int(ExitCode.INPUT)) from None
        except KeyboardInterrupt:
            _err(_interrupted(lang))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.OK)) from None
        finally:
            sys.stdout = stdout._inner
            if stdout.failed:
                stdout.silence()

    return wrapper


def _given(value: str | None, option: str = "--output") -> Path | None:
    """A path option as a Path; an empty value (an unset variable in a script, `-o ''`) is a
    usage error rather than the current folder."""
    if value is None:
        return None
    if not value.strip():
        from dxassess.text import msg

        raise UsageError(msg("cmd.empty_path", option=option))
    return Path(value)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dxassess {__version__}")
        raise typer.Exit(int(ExitCode.OK))


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Measure a municipality's DX readiness against the national DX manual and plan."""


@app.command()
@handled
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders (searched for *.yaml, *.yml). 検査するファイルまたはフォルダ。", readable=False
        ),
    ],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format. 出力形式。")] = CheckFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail the run too. 警告も失敗として扱います。")
    ] = False,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check questionnaire files, answer files and manual catalogues. 設問票・回答ファイルを検査します。"""
    from dxassess.commands.check import run_validate

    raise typer.Exit(run_validate(paths, fmt.value, strict, questionnaire, _lang(lang)))


@app.command()
@handled
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(help="questionnaire, answers or catalogue. ファイルの種類（設問票・回答・カタログ）。"),
    ],
    lang: LangOpt = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a file kind. 各ファイルのJSON Schemaを出力します。"""
    from dxassess.schema import json_schema_text

    sys.stdout.write(json_schema_text(kind.value))


@app.command()
@handled
def questionnaires(as_json: JsonOpt = False, lang: LangOpt = None) -> None:
    """List the built-in questionnaires. 同梱の設問票を一覧表示します。"""
    from dxassess.commands.check import run_questionnaires

    run_questionnaires(as_json, _lang(lang))


@app.command()
@handled
def score(
    answers: Annotated[
        list[Path],
        typer.Argument(help="Answer files (with --progress: part files and sheets). 回答ファイル。", readable=False),
    ],
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
    budget_cutoff: CutoffOpt = None,
    progress: Annotated[
        bool,
        typer.Option(
            "--progress",
            help="Team progress instead of scores: per part and per department, questions answered, "
            "skipped, in conflict, for review, open.",
        ),
    ] = False,
    max_age: MaxAgeOpt = None,
) -> None:
    """Score answer files: a table, or JSON. 回答ファイルを採点します。"""
    if progress:
        from dxassess.commands.team import run_progress

        raise typer.Exit(run_progress(answers, as_json, _lang(lang), questionnaire))
    from dxassess.commands.assess import run_score

    raise typer.Exit(run_score(answers, as_json, _lang(lang), questionnaire, budget_cutoff, max_age))


@app.command()
@handled
def report(
    answers: Annotated[Path, typer.Argument(help="The answer file. 回答ファイル。", readable=False)],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format. 報告書の形式（html、md、json）。")
    ] = ReportFormat.html,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (default: stdout). A symbolic link is written through to its target; "
            "a device, FIFO or socket is refused, and so is any file the command reads. 出力先のファイル（既定は標準出力）。",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template", help="Your own Jinja2 template (runs sandboxed). 独自の報告書テンプレート。", readable=False
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous", help="An earlier answer file to compare. 比較する前回の回答ファイル。", readable=False
        ),
    ] = None,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
    budget_cutoff: CutoffOpt = None,
    max_age: MaxAgeOpt = None,
    peers: Annotated[
        Path | None,
        typer.Option(
            "--peers",
            help="peers.json of a batch: show who of your size group to ask about each gap. "
            "一括採点の peers.json を指定すると、課題ごとに同規模団体の取組事例を示します。",
        ),
    ] = None,
) -> None:
    """Write the gap report against the national DX manual. 手順書とのギャップ報告書を作成します。"""
    from dxassess.commands.assess import run_report

    raise typer.Exit(
        run_report(
            answers,
            fmt.value,
            _given(output),
            template,
            previous,
            _lang(lang),
            questionnaire,
            budget_cutoff,
            max_age,
            peers,
        )
    )


@app.command()
@handled
def compare(
    old: Annotated[Path, typer.Argument(help="The earlier answer file. 前回の回答ファイル。", readable=False)],
    new: Annotated[Path, typer.Argument(help="The later answer file. 今回の回答ファイル。", readable=False)],
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
) -> None:
    """Change between two assessments of one municipality. 前回診断との比較を表示します。"""
    from dxassess.commands.assess import run_compare

    raise typer.Exit(run_compare(old, new, as_json, _lang(lang), questionnaire))


@app.command()
@handled
def sample(
    count: Annotated[
        int, typer.Option("--count", "-n", min=1, max=100000, help="How many municipalities. 作成する団体数。")
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Folder to write the answer files into. A file there that dxassess did not write "
            "(or that was edited since) is kept, unless --force. 回答ファイルの出力先フォルダ。",
        ),
    ],
    seed: Annotated[
        int,
        typer.Option(
            "--seed", help="Random seed; the same seed gives the same files. 乱数の種（同じ値なら同じファイル）。"
        ),
    ] = 1,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write realistic synthetic answer files for demos and benchmarks. 架空の回答ファイルを作成します。"""
    from dxassess.commands.generate import run_sample

    raise typer.Exit(run_sample(count, Path(_given(output) or "."), seed, questionnaire, _lang(lang), force))


@app.command()
@handled
def run(
    questionnaire: QuestionnaireOpt = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            help="Answer file to create or resume. A symbolic link, or a file with other hard links, "
            "is written through: every name sees the answers. 作成または再開する回答ファイル。",
        ),
    ] = None,
    municipality: Annotated[
        str | None, typer.Option("--municipality", help="Name of the municipality. 団体名。")
    ] = None,
    code: Annotated[
        str | None, typer.Option("--code", help="Local government code (6 digits). 団体コード（6桁）。")
    ] = None,
    population: Annotated[int | None, typer.Option("--population", min=1, help="Population. 人口。")] = None,
    lang: LangOpt = None,
    domain: DomainOpt = None,
    owner: OwnerOpt = None,
    part: PartOpt = None,
    respondent: RespondentOpt = None,
    max_age: MaxAgeOpt = None,
) -> None:
    """The interactive assessment, saved answer by answer. 対話形式で診断します（回答は都度保存）。"""
    from dxassess.commands.interview import run_interview

    team = _team(domain, owner, part, respondent, max_age)
    path = _given(answers, "--answers")
    raise typer.Exit(run_interview(questionnaire, path, municipality, code, population, _lang(lang), team))


@app.command()
@handled
def template(
    output_text: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="File to write. A symbolic link is written through to its target; a device, FIFO "
            "or socket is refused. 書き出すファイル。",
        ),
    ],
    fmt: Annotated[
        SheetFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, xlsx or yaml (default: from the file name's .csv, .xlsx or .yaml; xlsx when it has none).",
        ),
    ] = None,
    questionnaire: QuestionnaireOpt = None,
    prefecture: Annotated[
        str | None,
        typer.Option(
            "--prefecture",
            help="Pre-fill one row per municipality of this prefecture (code, name, prefecture); csv or xlsx.",
        ),
    ] = None,
    lang: LangOpt = None,
    domain: DomainOpt = None,
    owner: OwnerOpt = None,
    part: PartOpt = None,
    respondent: RespondentOpt = None,
) -> None:
    """Write a blank answer sheet to send to municipalities. 配布用の回答シートを作成します。"""
    from dxassess.commands.sheets import SUFFIXES, run_template

    output = Path(_given(output_text) or ".")
    if fmt is None:
        suffix = output.suffix.lower()
        found = next((f for f, ends in SUFFIXES.items() if suffix in ends), None)
        if found is None and suffix:  # t.pdf, t.ods: XLSX bytes under that name would not open
            from dxassess.text import msg

            raise UsageError(msg("cmd.suffix_unknown", suffix=output.suffix), str(output))
        chosen = found or "xlsx"
    else:
        chosen = fmt.value
    raise typer.Exit(
        run_template(
            output, chosen, questionnaire, _lang(lang), _team(domain, owner, part, respondent, None), prefecture
        )
    )


@app.command(name="import")
@handled
def import_(
    sheets: Annotated[
        list[Path],
        typer.Argument(
            help="CSV or XLSX sheets in the template layout. 記入済みの回答シート（CSV、XLSX）。", readable=False
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Folder for the answer files. A file there that dxassess did not write (or that "
            "was edited since) is kept, unless --force. 回答ファイルを書き出すフォルダ。",
        ),
    ],
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
) -> None:
    """Turn sheet rows into one answer file per municipality. シートを回答ファイルに変換します。"""
    from dxassess.commands.sheets import run_import

    raise typer.Exit(run_import(sheets, Path(_given(output) or "."), questionnaire, _lang(lang), force))


@app.command()
@handled
def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Answer files, folders of them, or CSV/XLSX sheets. 回答ファイル、そのフォルダ、または回答シート。",
            readable=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Output folder. After the run it holds exactly this run's outputs: reports an "
            "earlier batch wrote for inputs no longer scored are removed (files batch did not "
            "write are left alone). 出力先のフォルダ。",
        ),
    ],
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores). 並列に処理するプロセス数。"),
    ] = None,
    lang: LangOpt = None,
    questionnaire: QuestionnaireOpt = None,
    budget_cutoff: CutoffOpt = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="A previous batch's output folder: add the change since then. 前回の一括採点の出力フォルダ（前回からの変化を加えます）。",
            readable=False,
        ),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Score everything again, ignoring what an earlier run into the same folder kept, and read the questionnaire from its YAML. 前回の実行結果を使わずにすべて採点し直し、設問票も YAML から読み直します。",
        ),
    ] = False,
) -> None:
    """Score many municipalities and compare them with their peers. 複数団体を一括採点し比較します。"""
    from dxassess.commands.batch import run_batch

    raise typer.Exit(
        run_batch(
            inputs,
            Path(_given(output) or "."),
            jobs,
            _lang(lang),
            questionnaire,
            budget_cutoff,
            previous=previous,
            fresh=fresh,
        )
    )


@app.command()
@handled
def migrate(
    answers: Annotated[
        Path,
        typer.Argument(
            help="The answer file of an earlier questionnaire version. 前の版の設問票への回答ファイル。", readable=False
        ),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="The answer file to write. 書き出す回答ファイル。")],
    to: Annotated[
        str | None,
        typer.Option("--to", help="The version to carry it to (default: the newest). 移行先の版（既定は最新）。"),
    ] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Carry an answer file to a newer version of its questionnaire. 回答ファイルを新しい版に移行します。"""
    from dxassess.commands.migrate import run_migrate

    raise typer.Exit(run_migrate(answers, Path(_given(output) or "."), to, questionnaire, _lang(lang)))


@app.command()
@handled
def municipalities(
    query: Annotated[
        str | None,
        typer.Argument(
            help="A code, or part of a name or its reading (札幌, さっぽろ). 団体コード、または名称・読みの一部。"
        ),
    ] = None,
    prefecture: Annotated[
        str | None,
        typer.Option("--prefecture", help="Only this prefecture: 福井県, 福井, ふくい or 18. この都道府県のみ。"),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Only this kind: prefecture, designated_city, core_city, city, special_ward, town, village, "
            "ward (or 中核市, 町 …). この区分の団体のみ。",
        ),
    ] = None,
    wards: Annotated[
        bool, typer.Option("--wards", help="List the wards of designated cities too. 政令市の区も表示します。")
    ] = False,
    as_json: JsonOpt = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Output CSV (UTF-8 with BOM). CSV（BOM付きUTF-8）で出力します。")
    ] = False,
    update: Annotated[
        list[Path] | None,
        typer.Option(
            "--update",
            help="Update the register from the ministry's list (XLSX, or CSV of its sheets; repeat for both sheets). "
            "総務省の全国地方公共団体コード一覧で更新します。",
            readable=False,
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """List or search the register of municipalities; update it. 市区町村一覧を表示・検索・更新します。"""
    from dxassess.commands.municipalities import run_municipalities

    raise typer.Exit(run_municipalities(query, prefecture, kind, wards, as_json, as_csv, update or [], _lang(lang)))


@app.command()
@handled
def merge(
    parts: Annotated[
        list[Path],
        typer.Argument(help="Part files: answer files, or CSV/XLSX sheets (a row is a part).", readable=False),
    ],
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="The merged answer file (updated if it exists). 統合した回答ファイル。"),
    ],
    prefer: Annotated[
        list[str] | None,
        typer.Option(
            "--prefer",
            help="Decide conflicts: newest (latest answered_on, else the part's date) or a part's name; "
            "repeatable, tried in order. Without it conflicts stay open and are listed.",
            show_default=False,
        ),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code", help="With sheets: the municipality whose rows to merge. シートの場合、統合する団体のコード。"
        ),
    ] = None,
    questionnaire: QuestionnaireOpt = None,
    lang: LangOpt = None,
) -> None:
    """Merge the parts of a team assessment into one answer file. 部署別の部分回答を統合します。"""
    from dxassess.commands.team import run_merge

    raise typer.Exit(run_merge(parts, Path(_given(output) or "."), prefer or [], questionnaire, code, _lang(lang)))


def _team(
    domain: list[str] | None,
    owner: list[OwnerChoice] | None,
    part: str | None,
    respondent: str | None,
    max_age: int | None,
) -> dict[str, Any]:
    """The team-assessment options of `run` and `template`, as plain values."""
    return {
        "domains": list(domain or []),
        "owners": [o.value for o in owner or []],
        "name": part,
        "respondent": respondent,
        "max_age": max_age,
    }


def _is_click(exc: BaseException, name: str) -> bool:
    """Whether `exc` is one of the command-line parser's exceptions (by class name: typer keeps
    its copy of click private)."""
    return any(c.__name__ == name for c in type(exc).__mro__)


def _usage_line(exc: Exception) -> str:
    """A command-line error as one line: the command, the parser's message, where to look."""
    from dxassess.text import msg

    context = getattr(exc, "ctx", None)
    command = getattr(context, "command_path", None) or "dxassess"
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    error = UsageError(msg("cmd.usage_error", message=_parser_message(message), command=command), command)
    return error.one_line(_lang())


# The command-line parser's messages (typer's copy of click), in the catalogue's words: the English
# is the parser's own; a message not listed here is shown as the parser wrote it.
_PARSER_MESSAGES = (
    (
        r"No such option: (?P<name>\S+?)(?:\s+\(Possible options: (?P<near>.+)\)|\s+Did you mean (?P<alt>.+?)\?)?",
        "cmd.parser_no_such_option",
    ),
    (r"Missing argument '(?P<name>.+)'", "cmd.parser_missing_argument"),
    (r"Missing option '(?P<name>.+)'", "cmd.parser_missing_option"),
    (r"Option '(?P<name>.+)' requires (?:an argument|\d+ arguments)", "cmd.parser_needs_value"),
    (r"Invalid value for (?P<name>'.+?'(?: / '.+?')?): (?P<detail>.+)", "cmd.parser_invalid_value"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((?P<detail>.+)\)", "cmd.parser_extra_arguments"),
)


# What typer (through pydantic) says of a bad option value, in Japanese (keys of the catalogue).
_DETAILS = (
    (r"Input should be a valid integer.*", "cmd.detail_integer"),
    (r"Input should be a valid number.*", "cmd.detail_number"),
    (r"Input should be greater than or equal to (?P<n>\S+)", "cmd.detail_at_least"),
    (r"Input should be less than or equal to (?P<n>\S+)", "cmd.detail_at_most"),
    (r"(?:Value error, )?(?P<value>'.*?') is not one of (?P<choices>.+)", "cmd.detail_choice"),
)


def _detail_ja(detail: str) -> str:
    """The reason a value was refused, in Japanese where it is one typer gives; else as it is."""
    import re

    from dxassess.text import msg

    for pattern, key in _DETAILS:
        found = re.fullmatch(pattern, detail.strip(), re.S)
        if found:
            values = found.groupdict()
            if "choices" in values:
                values["choices"] = values["choices"].replace(", ", "、").replace(" or ", "、")
            return msg(key, **values).ja
    return detail


def _parser_message(message: str) -> Any:
    """The parser's message as a catalogue text (so it reads in Japanese too), else as it is."""
    import re

    from dxassess.text import Msg, msg

    message = message.rstrip(".")
    for pattern, key in _PARSER_MESSAGES:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            values = {k: v or "" for k, v in found.groupdict().items()}
            near = values.pop("near", "") or values.pop("alt", "")
            values.pop("alt", None)
            if "detail" in values and key == "cmd.parser_invalid_value":
                values["detail"] = _detail_ja(values["detail"])
            ja = msg(key, **values).ja + (msg("cmd.parser_did_you_mean", near=near).ja if near else "")
            return Msg(message, ja)  # the English stays the parser's own words
    return message


def main() -> None:
    """Console-script entry point. Standard output is watched here too, for what is printed
    outside a command (`--help`, `--version`)."""
    import gc
    import warnings

    # What a command loads lives as long as the command (the questionnaire, a batch's rows and
    # cache): with the default young-generation threshold (700 objects) the collector scanned it
    # again and again as it was made, a tenth of a batch re-run. dxassess makes almost no cyclic
    # garbage (tests/test_batch_speed.py keeps a report's scoring and rendering free of it).
    gc.set_threshold(50_000, 50, 100)
    # openpyxl warns on stderr about parts of a workbook it drops (a missing default style, a
    # data validation extension, a defined name without its sheet): nothing the user can act on,
    # and not one line. The problems dxassess finds in a sheet are its own lines.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
    stdout = _Stdout(sys.stdout)
    sys.stdout = stdout
    try:
        try:
            code = app(standalone_mode=False)  # command-line errors come here, as one line
        finally:
            if stdout._inner is not None and not stdout.failed:
                stdout.flush()
        sys.exit(code if isinstance(code, int) else 0)
    except DxassessError as exc:  # raised outside a command, e.g. in a callback
        _err(exc.one_line(_lang()))
        sys.exit(int(exc.exit_code))
    except _StdoutFailed as exc:
        _err(exc.error().one_line(_lang()))
        sys.exit(int(ExitCode.INPUT))
    except KeyboardInterrupt:
        _err(_interrupted(_lang()))
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        sys.exit(int(ExitCode.OK))
    except Exception as exc:
        if not _is_click(exc, "ClickException"):
            raise
        _err(_usage_line(exc))
        sys.exit(int(getattr(exc, "exit_code", ExitCode.USAGE)))
    finally:
        sys.stdout = stdout._inner
        if stdout.failed:
            stdout.silence()
        # The process ends now, and the exit frees what is left. Shutting down, Python collects
        # garbage several times over everything still alive (a tenth of a second after a batch
        # of 1,741); frozen, those objects are not scanned again. Nothing is lost: every file is
        # closed by the `with` that wrote it, and a collection at exit never promised finalizers.
        gc.freeze()


__all__ = ["app", "main", "ExitCode", "UsageError"]
