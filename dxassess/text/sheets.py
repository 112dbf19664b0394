"""The sheets catalogue: the words of answer sheets (XLSX, CSV and YAML templates) sent to
municipalities. Keys start with `sheet.`. Row 2 of a sheet is Japanese whatever the language
(contract), so the column labels have one text only."""

from __future__ import annotations

SHEETS: dict[str, tuple[str, str]] = {
    # --- words a cell may hold (written by the template; import also accepts others)
    "sheet.word_yes": ("yes", "はい"),
    "sheet.word_no": ("no", "いいえ"),
    "sheet.word_na": ("na", "該当なし"),
    "sheet.word_skip": ("skip", "スキップ"),
    # --- the municipality columns: hints
    "sheet.hint_code": ("6 digits with the check digit, e.g. 011002", "6桁（検査数字付き）。例: 011002"),
    "sheet.hint_name": ("e.g. 札幌市", "例: 札幌市"),
    "sheet.hint_prefecture": ("optional: derived from the code when empty", "空欄ならコードから補います"),
    "sheet.hint_population": ("a whole number of at least 1, e.g. 1973395", "1以上の整数。例: 1973395"),
    "sheet.hint_assessed": ("YYYY-MM-DD, e.g. 2026-11-27", "YYYY-MM-DD。例: 2026-11-27"),
    # --- what a question column accepts
    "sheet.hint_sharing_named": (
        "optional: yes = peers of the same size may see your name, contact and public notes; no or empty = not",
        "任意。はい＝同規模団体に団体名・問い合わせ先・公開用メモを掲載してよい。いいえまたは空欄＝掲載しない",
    ),
    "sheet.hint_sharing_contact": (
        "optional: the department to contact (its public phone or official e-mail may follow; never a person's)",
        "任意。問い合わせ先の課名（課の代表電話・公式メールアドレスを添えても可。個人の連絡先は不可）",
    ),
    "sheet.accept_level": ("level 0–5", "レベル 0〜5"),
    "sheet.accept_choice": ("choose: {keys}", "選択: {keys}"),
    "sheet.accept_choice_list": ("choose from the list", "一覧から選択"),
    "sheet.accept_whole": ("whole number", "整数"),
    "sheet.accept_number": ("number", "数値"),
    "sheet.accept_yes_no_yaml": ("true / false", "true（はい）/ false（いいえ）"),
    "sheet.comment_answer": ("Answer: {hint}", "回答: {hint}"),
    "sheet.comment_help": ("Help: {help}", "ヒント: {help}"),
    "sheet.choose_one_of": ("Choose one of: {choices}", "一覧から選んでください: {choices}"),
    "sheet.choose_from_list": ("Choose one from the list.", "一覧から選んでください。"),
    # --- the workbook
    "sheet.answers_title": ("answers", "回答"),
    "sheet.guide_title": ("how-to", "記入方法"),
    "sheet.guide_1": (
        "Fill the yellow cells, one row per municipality; do not change rows 1 and 2.",
        "黄色の欄に、1団体につき1行で記入してください（1行目・2行目は変更しないでください）。",
    ),
    "sheet.guide_2": (
        "Enter na where a question allows N/A, skip to skip a question; leave a cell empty when unanswered.",
        "該当しない設問は「該当なし」（認められている設問のみ）、答えられない設問は「スキップ」、未回答は空欄。",
    ),
    "sheet.guide_3": (
        "Formulas are not read: enter the values themselves.",
        "数式は読み取りません。値を直接入力してください。",
    ),
    "sheet.head_column": ("Column", "列"),
    "sheet.head_id": ("ID", "ID"),
    "sheet.head_question": ("Question", "設問"),
    "sheet.head_answer": ("Answer", "回答方法"),
    "sheet.head_help": ("Help", "説明"),
    # --- the YAML template
    "sheet.yaml_kind": ("answer file", "回答ファイル"),
    "sheet.yaml_1": (
        "1. Fill in the municipality and the date of the assessment.",
        "1. 団体と診断日を記入してください。",
    ),
    "sheet.yaml_2": (
        '2. For each question you answer (at least one), delete the "# " before its answer line and',
        "2. 回答する設問の行頭の「# 」を消し、value に値を書きます（1問以上）。",
    ),
    "sheet.yaml_3": (
        '   write the value. N/A: {{na: true}} (where allowed); skip: {{skipped: true}}; evidence: note: "…"',
        '   該当なし: {{na: true}}（認められた設問のみ）  スキップ: {{skipped: true}}  根拠: note: "…"',
    ),
    "sheet.yaml_4": ("3. Check the file: dxassess validate THIS_FILE", "3. 確認: dxassess validate このファイル"),
    "sheet.yaml_help": ("help", "ヒント"),
    # --- parts of a team assessment: the two extra columns, and merged files
    "sheet.label_part": ("Part (this sheet: {name})", "担当区分（このシート: {name}）"),
    "sheet.label_respondent": ("Answered by (section)", "回答者（課・係名）"),
    "sheet.hint_part": ("the part's name: {name}", "部分名: {name}"),
    "sheet.hint_respondent": ("the section or post answering, e.g. 人事課", "回答した課・係。例: 人事課"),
    "sheet.guide_part": (
        "This sheet is part {name} of a team assessment ({count} questions). Enter the answering section "
        "in the respondent column; the DX section merges the parts with dxassess merge.",
        "このシートは部署分担による診断の部分回答「{name}」（{count}問）です。respondent 列に回答した課・係名を"
        "記入してください。DX推進担当課が dxassess merge で各部分を統合します。",
    ),
    "sheet.yaml_part": (
        "Part {name} of a team assessment: answer these {count} questions; write your section under respondent.",
        "部署分担による診断の部分回答「{name}」です。次の{count}問に回答し、respondent に回答した課・係名を記入してください。",
    ),
    "sheet.conflicts_comment": (
        "Questions the parts answered differently: not scored until you decide (write the answer under answers, "
        "delete the entry).",
        "部分回答の間で回答が異なる設問です。決まるまで採点しません（answers に回答を書き、この項目を削除）。",
    ),
    "sheet.merged_header": (
        "dxassess answer file, merged from the parts of a team assessment (dxassess merge).",
        "dxassess 回答ファイル（部署分担の部分回答を dxassess merge で統合）",
    ),
    "sheet.yaml_hint_assessed": (
        'YYYY-MM-DD in quotes, e.g. "2026-11-27"',
        '引用符で囲んだ YYYY-MM-DD。例: "2026-11-27"',
    ),
    # --- answer files written by `import`
    "sheet.imported_from": (
        "Imported by `dxassess import` from {source}.",
        "Imported by `dxassess import` from {source}.",
    ),
}
