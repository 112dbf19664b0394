"""The Problem type and the table of stable problem codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dxassess.text import Msg


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in one file; lines and columns are 1-based everywhere (a problem with
    the whole file, such as a missing one, is at 1:1).

    `message` is English; `message_ja` the same in Japanese (empty: as in English). Give a
    `dxassess.text.Msg` as `message` to set both."""

    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    code: str
    message: Any  # str; a Msg given here is split into `message` and `message_ja`
    message_ja: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.line < 1:
            object.__setattr__(self, "line", 1)
        if self.col < 1:
            object.__setattr__(self, "col", 1)
        if isinstance(self.message, Msg):
            object.__setattr__(self, "message_ja", self.message.ja)
            object.__setattr__(self, "message", self.message.en)

    def text(self, lang: str | None = "en") -> str:
        """The message in `lang` (`ja` or `en`)."""
        return self.message_ja if lang == "ja" and self.message_ja else self.message

    def msg(self) -> Any:
        """The message in both languages, as a Msg."""
        return Msg(self.message, self.message_ja or self.message)

    def format_text(self, lang: str | None = "en") -> str:
        """`PATH:LINE:COL: SEVERITY: CODE message` on one line: control characters in the path or
        the message (from a file name or a file's text) are written as visible escapes."""
        from dxassess.controls import printable

        return (
            f"{printable(self.path)}:{self.line}:{self.col}: {self.severity}: {self.code} {printable(self.text(lang))}"
        )

    def as_dict(self, lang: str | None = None) -> dict:
        """The contract's fields; with `lang`, `message` in that language plus `message_en` and
        `message_ja`."""
        out = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if lang is not None:
            out["message"] = self.text(lang)
            out["message_en"] = self.message
            out["message_ja"] = self.message_ja or self.message
        return out


# code -> (rule name, short description, help). Codes are stable: never renumber.
CODES: dict[str, tuple[str, str, str]] = {
    "DX000": ("usage", "The command line is wrong (exit code 2).", "See `dxassess COMMAND --help`."),
    "DX001": ("file-too-large", "The file is larger than the 10 MB limit.", "Split the file or remove data."),
    "DX002": ("encoding", "The file is not UTF-8 text.", "Save the file as UTF-8."),
    "DX003": ("yaml-syntax", "The file is not valid YAML.", "Fix the YAML syntax at the position shown."),
    "DX004": ("too-deep", "Nesting is deeper than 100 levels.", "Flatten the structure."),
    "DX005": ("alias-expansion", "Aliases expand beyond the limit.", "Remove recursive or repeated aliases."),
    "DX006": ("duplicate-key", "A mapping has the same key twice.", "Remove or rename one of the keys."),
    "DX007": ("not-a-mapping", "The top level is not a mapping.", "Start the file with `key: value` lines."),
    "DX008": (
        "unknown-kind",
        "Not a questionnaire, answer file or catalogue.",
        "A questionnaire has `domains`, an answer file `answers`, a catalogue `sections`.",
    ),
    "DX009": ("unreadable", "The file cannot be read.", "Check the path and permissions."),
    "DX010": ("empty", "The file is empty.", "Write the file's content."),
    "DX011": ("bad-key", "A mapping key is not a plain scalar.", "Use plain text keys."),
    "DX100": ("schema", "A value has the wrong type or is out of range.", "Correct the value as the message says."),
    "DX101": ("unknown-key", "A key is not part of the format.", "Remove the key or fix its spelling."),
    "DX102": ("missing-key", "A required key is missing.", "Add the key."),
    "DX201": ("duplicate-id", "An id is used twice.", "Give each domain, question or section a unique id."),
    "DX202": ("id-prefix", "A question id does not start with its domain id.", "Name questions `domain.name`."),
    "DX203": ("unknown-section", "A manual reference is not in the catalogue.", "Use a section id of the catalogue."),
    "DX204": ("when-syntax", "A `when` condition does not parse.", "Fix the expression."),
    "DX205": (
        "when-reference",
        "A `when` condition names a question that is not earlier.",
        "Refer only to questions asked before this one.",
    ),
    "DX206": (
        "language",
        "A text lacks a declared language or has an undeclared one.",
        "Give exactly the languages listed in `languages`.",
    ),
    "DX207": ("scale-levels", "Scale levels are not contiguous from 0.", "Number the levels 0, 1, 2, ... in order."),
    "DX208": (
        "thresholds",
        "Numeric thresholds are not ordered or outside the bounds.",
        "Order thresholds ascending (higher) or descending (lower) within min and max.",
    ),
    "DX209": ("weight", "A weight is not greater than 0.", "Use a weight greater than 0."),
    "DX210": ("unknown-scale", "A question names a scale that is not declared.", "Declare it under `scales`."),
    "DX211": ("bounds", "Numeric `min` is not below `max`.", "Set min < max."),
    "DX212": ("duplicate-option", "A choice has the same option key twice.", "Give each option a unique key."),
    "DX213": ("unreachable", "A question can never be asked.", "Fix its `when` condition."),
    "DX214": (
        "catalogue-missing",
        "The manual catalogue cannot be found.",
        "Put the catalogue file beside the questionnaire or use a built-in catalogue id.",
    ),
    "DX215": (
        "level-override",
        "A level override names a level the scale does not have.",
        "Override only levels of the scale.",
    ),
    "DX216": (
        "uncited-section",
        "A catalogue section is cited by no questionnaire.",
        "Cite it from a question or mark it `assessed: false`.",
    ),
    "DX217": (
        "unknown-reference",
        "An action, support scheme, national figure, document or question named by id does not exist.",
        "Use an id that the catalogue or the questionnaire defines.",
    ),
    "DX218": (
        "missing-step",
        "A question can fall below its target without an action (step) that reaches the next level.",
        "Write the action for that level under `steps`.",
    ),
    "DX219": (
        "missing-target",
        "A size band has no target in a domain.",
        "Give the tier's target or the band's own.",
    ),
    "DX220": (
        "migration",
        "The mapping from the previous version misses a question or names one that does not exist.",
        "List every question of the previous version under `migration.questions` with `to` or `removed`.",
    ),
    "DX221": (
        "control-character",
        "A text holds control characters (escape sequences, carriage returns, bidirectional overrides).",
        "Remove them: they would act on the terminal of whoever reads the text.",
    ),
    "DX222": (
        "migration-unmapped",
        "An answer the previous version's question could take is not an answer to the question it maps to, and "
        "`values` does not map it: such answers are asked again on migration.",
        "Add the old value to the move's `values` (an option renamed), or mark the move `changed`.",
    ),
    "DX316": (
        "carried-to-confirm",
        "Answers carried from an earlier questionnaire version whose question changed are scored as they were "
        "given until someone answers them again.",
        "Answer them again (`dxassess run --answers FILE` asks exactly these), then the mark goes.",
    ),
    "DX301": (
        "unknown-questionnaire",
        "The answer file names an unknown questionnaire or version.",
        "Use the id and version of an installed questionnaire, or pass --questionnaire.",
    ),
    "DX302": (
        "unknown-question",
        "An answer is for a question the questionnaire does not have.",
        "Remove the answer or fix the question id.",
    ),
    "DX303": ("bad-value", "An answer value does not fit its question.", "Give a value the question accepts."),
    "DX304": ("na-not-allowed", "N/A is given where the question does not allow it.", "Answer the question."),
    "DX305": ("bad-code", "The local government code is not valid.", "Use the 6-digit code with its check digit."),
    "DX306": ("prefecture", "The prefecture does not match the code.", "Correct the prefecture or the code."),
    "DX307": (
        "answered-but-skipped",
        "A question is answered although its `when` condition is false.",
        "Remove the answer or check the earlier answers.",
    ),
    "DX310": (
        "register-mismatch",
        "The municipality's name (or kind) does not match the municipality its code belongs to.",
        "Correct the name or the code; `dxassess municipalities CODE` shows the register's entry.",
    ),
    "DX311": (
        "unknown-municipality",
        "The code passes the check digit but belongs to no municipality (or is a ward of a designated city).",
        "Use the municipality's code; update the register if it is new (`dxassess municipalities --update`); "
        "mark made-up data `synthetic: true`.",
    ),
    "DX312": (
        "synthetic-real-code",
        "A file marked `synthetic: true` uses a real municipality's code.",
        "Use a code of no municipality (as `dxassess sample` does), or remove `synthetic: true`.",
    ),
    "DX313": (
        "percent-fraction",
        "A percentage column holds a fraction such as 0.45, where 45 (%) was probably meant.",
        "Enter the percentage: 45 or 45%.",
    ),
    "DX314": (
        "implausible-date",
        "A date is before the national DX plan (2020-12-25) or in the future.",
        "Check the year: write the date the assessment or the answer was made.",
    ),
    "DX601": (
        "sharing-contact",
        "Consent to be named (`sharing.named: true`) without a contact.",
        "Give the department to contact, or set `named: false`.",
    ),
    "DX602": (
        "contact-personal",
        "The sharing contact looks like a person's mobile number or private e-mail address.",
        "Give the department's public phone or official e-mail address.",
    ),
    "DX603": (
        "public-note-private",
        "Public notes are given without consent to be named: they stay private.",
        "Add `sharing: {named: true, contact: ...}` if peers may see them; otherwise nothing to do.",
    ),
    "DX604": (
        "peers-file",
        "The file given to `report --peers` is not a peers.json written by `dxassess batch`.",
        "Give the peers.json of a batch output folder, unchanged.",
    ),
    "DX401": ("template-unreadable", "A report template cannot be read.", "Give a UTF-8 Jinja2 template file."),
    "DX402": (
        "template-refused",
        "The sandbox refused something a report template tried.",
        "Templates may only read the report data: no files, imports or Python internals.",
    ),
    "DX403": ("template-error", "A report template has an error.", "Fix the template at the line shown."),
    "DX901": ("output", "An output cannot be written.", "Choose a folder you can write to, with free space."),
    "DX902": (
        "in-use",
        "The answer file is in use by another `dxassess run`.",
        "Finish or quit the other session first.",
    ),
    "DX903": (
        "not-a-terminal",
        "The interview needs a terminal and the answers are incomplete.",
        "Run it in a terminal, or complete the answer file first.",
    ),
    "DX308": (
        "duplicate-code",
        "Two inputs of one batch are for the same municipality code.",
        "Keep one answer file per municipality in a batch.",
    ),
    "DX309": (
        "mixed-questionnaires",
        "Inputs of one batch use questionnaires with different domains.",
        "Score each questionnaire in its own batch.",
    ),
    "DX501": (
        "unresolved-conflict",
        "Parts of a team assessment answered a question differently; the file is not scored until someone decides.",
        "Merge again with `--prefer`, or write the answer under `answers` and delete the `conflicts` entry.",
    ),
    "DX502": (
        "conflict-resolved",
        "A `--prefer` rule chose between answers the parts gave differently (listed so it is never silent).",
        "Check the choice; correct the part that was wrong.",
    ),
    "DX503": (
        "other-municipality",
        "Parts given to `merge`, or the two assessments given to `compare`, are for different municipalities.",
        "Merge the parts of one municipality (with sheets, choose it with `--code`); compare two assessments "
        "of the same municipality.",
    ),
    "DX504": (
        "other-questionnaire",
        "Parts given to `merge` answer different questionnaires or versions.",
        "Migrate the older part to the same version first (`dxassess migrate`).",
    ),
    "DX505": (
        "same-part-name",
        "Two parts given to `merge` have the same name.",
        "Give each part its own name (`part: {name: ...}`, or the sheet's `part` column).",
    ),
    "DX506": (
        "details-differ",
        "Parts given to `merge` give different municipality details (name, population).",
        "Correct the part that is wrong, or choose with `--prefer`.",
    ),
    "DX507": (
        "part-alone",
        "The file holds one part of a team assessment: its scores cover only that part's questions.",
        "Merge the parts first (`dxassess merge PARTS... -o ANSWERS`) and score the merged file.",
    ),
    "DX315": (
        "previous-summary",
        "`batch --previous` names something that is not the summary of an earlier batch, or the folder this run writes to.",
        "Give the output folder of an earlier `dxassess batch` (it holds summary.json), kept apart from this run's `-o`.",
    ),
}


# code -> the short description in Japanese (docs/validation-codes.md shows both).
CODES_JA: dict[str, str] = {
    "DX000": "コマンドラインに誤りがあります（終了コード 2）。",
    "DX001": "ファイルが上限の 10 MB を超えています。",
    "DX002": "ファイルが UTF-8 のテキストではありません。",
    "DX003": "ファイルが正しい YAML ではありません。",
    "DX004": "入れ子が 100 階層より深くなっています。",
    "DX005": "エイリアスの展開が上限を超えています。",
    "DX006": "マッピングに同じキーが2回あります。",
    "DX007": "最上位がマッピングではありません。",
    "DX008": "設問票、回答ファイル、手順書カタログのどれでもありません。",
    "DX009": "ファイルを読み取れません。",
    "DX010": "ファイルが空です。",
    "DX011": "マッピングのキーが単純なテキストではありません。",
    "DX100": "値の型が違うか、範囲外です。",
    "DX101": "形式にないキーがあります。",
    "DX102": "必要なキーがありません。",
    "DX201": "同じ id が2回使われています。",
    "DX202": "設問の id が分野の id で始まっていません。",
    "DX203": "手順書の参照がカタログにありません。",
    "DX204": "`when` の条件式を解釈できません。",
    "DX205": "`when` の条件が、先に尋ねる設問以外を参照しています。",
    "DX206": "テキストに宣言された言語が欠けているか、宣言されていない言語があります。",
    "DX207": "尺度のレベルが 0 からの連番になっていません。",
    "DX208": "数値のしきい値が順に並んでいないか、範囲外です。",
    "DX209": "重み（weight）が 0 より大きくありません。",
    "DX210": "設問が宣言されていない尺度を使っています。",
    "DX211": "数値の `min` が `max` より小さくありません。",
    "DX212": "選択肢に同じキーが2回あります。",
    "DX213": "決して尋ねられない設問があります。",
    "DX214": "手順書カタログが見つかりません。",
    "DX215": "レベルの上書きが尺度にないレベルを指しています。",
    "DX216": "どの設問票からも引用されていない手順書の節があります。",
    "DX217": "id で指定した取組・支援制度・全国の数値・文書・設問が存在しません。",
    "DX218": "目標を下回りうる設問に、次のレベルに達するための取組（steps）がありません。",
    "DX219": "分野の目標に、規模帯の目標がないものがあります。",
    "DX220": "前のバージョンからの移行表に、設問の漏れか存在しない設問があります。",
    "DX221": "テキストに制御文字（エスケープシーケンス、復帰、双方向制御文字）が含まれています。",
    "DX222": "前の版の設問で選べた回答が移行先の設問では回答にならず、values にも対応がありません（移行時に再確認となります）。",
    "DX316": "設問の内容が変わった前の版からの引き継ぎ回答を、回答し直すまでそのまま採点しています。",
    "DX301": "回答ファイルが不明な設問票かバージョンを指しています。",
    "DX302": "設問票にない設問への回答があります。",
    "DX303": "回答の値が設問に合いません。",
    "DX304": "N/A（該当なし）にできない設問が N/A になっています。",
    "DX305": "団体コードが正しくありません。",
    "DX306": "都道府県が団体コードと一致しません。",
    "DX307": "`when` の条件が偽の設問に回答があります。",
    "DX308": "一括採点の入力に同じ団体コードが2つあります。",
    "DX309": "一括採点の入力で、分野の異なる設問票が混ざっています。",
    "DX310": "団体名（または種別）が、団体コードの団体と一致しません。",
    "DX311": "検査数字は正しいものの、どの市区町村のものでもない団体コードです（政令指定都市の行政区を含みます）。",
    "DX312": "架空のデータ（synthetic: true）に、実在の団体のコードが使われています。",
    "DX501": "部分回答の間で回答が異なる設問があり、決まるまで採点しません。",
    "DX502": "部分回答の間で異なる回答を、--prefer の指定により選びました（黙って選ばないよう表示します）。",
    "DX503": "統合する部分回答、または比較する2つの診断の団体が異なります。",
    "DX504": "統合する部分回答の設問票または版が異なります。",
    "DX505": "統合する部分回答に同じ名前のものがあります。",
    "DX506": "統合する部分回答の間で団体情報（団体名、人口）が異なります。",
    "DX507": "部署分担による診断の部分回答です。点数はこの部分の設問だけで計算されます。",
    "DX313": "百分率の列に 0.45 のような小数があります（45% の意味である可能性があります）。",
    "DX314": "日付が自治体DX推進計画（2020-12-25）より前か、未来の日付です。",
    "DX315": "`batch --previous` の指定先が、以前の一括採点の集計ではないか、今回の出力先です。",
    "DX601": "団体名の公表に同意（`sharing.named: true`）していますが、問い合わせ先がありません。",
    "DX602": "問い合わせ先が個人の携帯電話番号または私用メールアドレスのようです。",
    "DX603": "団体名の公表に同意せずに公開用メモがあります（他団体には表示されません）。",
    "DX604": "`report --peers` に指定したファイルが、`dxassess batch` の出力した peers.json ではありません。",
    "DX401": "報告書テンプレートを読み取れません。",
    "DX402": "報告書テンプレートの操作をサンドボックスが拒否しました。",
    "DX403": "報告書テンプレートに誤りがあります。",
    "DX901": "出力を書き込めません。",
    "DX902": "回答ファイルを別の `dxassess run` が使用中です。",
    "DX903": "対話形式の診断には端末が必要ですが、回答がそろっていません。",
}


# Codes that are warnings (they fail a run only with --strict).
WARNING_CODES = frozenset(
    {
        "DX213",
        "DX216",
        "DX218",
        "DX307",
        "DX310",
        "DX312",
        "DX313",
        "DX314",
        "DX316",
        "DX222",
        "DX507",
        "DX602",
        "DX603",
    }
)


def rule_name(code: str) -> str:
    return CODES.get(code, ("problem", "", ""))[0]
