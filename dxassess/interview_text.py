"""Every prompt and message of the interview, in Japanese and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # -- start: the municipality's profile and the answer file ----------------------------
    "ask_code": {"ja": "団体コード（6桁、例: 011002）: ", "en": "Local government code (6 digits, e.g. 011002): "},
    "code_digits": {
        "ja": "団体コードは6桁の数字で入力してください（例: 011002）。",
        "en": "The code has 6 digits (e.g. 011002).",
    },
    "code_prefecture": {
        "ja": "先頭2桁（{pref}）が都道府県番号（01〜47）ではありません。",
        "en": "The first two digits ({pref}) are not a prefecture number (01 to 47).",
    },
    "code_check": {
        "ja": "検査数字（6桁目）が一致しません。先頭5桁が正しければ {expected} になります。",
        "en": "The check digit (6th digit) does not match; with these first five digits it is {expected}.",
    },
    "code_prefectural": {
        "ja": "都道府県の団体コードです。市区町村の団体コードを入力してください。",
        "en": "This is a prefecture's code; enter a municipality's code.",
    },
    "prefecture_is": {"ja": "都道府県: {prefecture}", "en": "Prefecture: {prefecture}"},
    "ask_name": {"ja": "団体名（例: 札幌市）: ", "en": "Name of the municipality (e.g. 札幌市): "},
    "name_empty": {"ja": "団体名を入力してください。", "en": "Enter the name of the municipality."},
    "ask_population": {"ja": "人口（住民基本台帳人口）: ", "en": "Population: "},
    "bad_population": {
        "ja": "人口は1以上の整数で入力してください（例: 48500）。",
        "en": "Enter the population as a whole number of at least 1 (e.g. 48500).",
    },
    "created": {"ja": "回答ファイルを作成しました: {path}", "en": "Created the answer file: {path}"},
    "resumed": {
        "ja": "回答ファイルを読み込みました: {path}（{done}/{total}問 回答済み）",
        "en": "Opened the answer file: {path} ({done} of {total} questions answered)",
    },
    "updated_profile": {
        "ja": "団体情報を更新しました（{fields}）。",
        "en": "Updated the municipality's details ({fields}).",
    },
    "intro": {
        "ja": "回答は1問ごとに保存されます。中断しても同じコマンドで続きから再開できます。",
        "en": "Each answer is saved as you give it. Stop at any time; the same command resumes.",
    },
    # -- the question screen ---------------------------------------------------------------
    "progress": {"ja": "設問 {i}/{n}", "en": "Question {i} of {n}"},
    "domain": {"ja": "分野 {d}/{nd}", "en": "Domain {d} of {nd}"},
    "sep": {"ja": "  ・  ", "en": "  |  "},
    "progress_label": {"ja": "分野別の進捗", "en": "By domain"},
    "domain_done": {"ja": "（回答 {done}/{n}）", "en": " ({done}/{n} answered)"},
    "current_legend": {"ja": "（* は現在の回答）", "en": " (* marks the current answer)"},
    "current_value": {"ja": "現在の回答: {value}", "en": "Current answer: {value}"},
    "unit_range": {"ja": "単位: {unit}　範囲: {min}〜{max}", "en": "Unit: {unit}   Range: {min} to {max}"},
    "whole_numbers": {"ja": "（整数）", "en": " (whole numbers)"},
    "na": {"ja": "該当なし", "en": "Not applicable"},
    "skipped": {"ja": "スキップ", "en": "Skipped"},
    "flag_note": {"ja": "メモあり", "en": "note"},
    "flag_review": {"ja": "要確認", "en": "for review"},
    "keys": {
        "ja": "?=説明  b=戻る  s=スキップ  n=メモ  r=要確認  q=保存して終了",
        "en": "?=help  b=back  s=skip  n=note  r=review  q=save and quit",
    },
    "prompt": {"ja": "回答: ", "en": "Answer: "},
    "prompt_default": {"ja": "回答 [Enter={default}]: ", "en": "Answer [Enter={default}]: "},
    # -- feedback ---------------------------------------------------------------------------
    "saved": {"ja": "保存しました: {qid} = {value}", "en": "Saved: {qid} = {value}"},
    "pick_one": {
        "ja": "{keys} のいずれかを入力してください（?=説明）。",
        "en": "Enter one of {keys} (? for help).",
    },
    "pick_number": {
        "ja": "{min}〜{max}の数値を入力してください（単位: {unit}）。",
        "en": "Enter a number from {min} to {max} ({unit}).",
    },
    "pick_whole": {"ja": "整数で入力してください。", "en": "Enter a whole number."},
    "need_answer": {
        "ja": "回答を入力してください（s=スキップ、?=説明）。",
        "en": "Type an answer (s to skip, ? for help).",
    },
    "na_not_allowed": {
        "ja": "この設問は「該当なし」を選べません。回答するか、s でスキップしてください。",
        "en": "This question cannot be answered N/A; answer it or skip it with s.",
    },
    "first_question": {"ja": "最初の設問です。", "en": "This is the first question."},
    "no_help": {"ja": "この設問に補足説明はありません。", "en": "This question has no further help."},
    "manual_refs": {"ja": "手順書・計画の該当箇所", "en": "Manual sections"},
    "yes_means": {"ja": "「はい」の目安: {text}", "en": "Yes means: {text}"},
    "no_last_answer": {
        "ja": "メモや要確認の印を付ける回答がまだありません。先に回答してください。",
        "en": "There is no answer yet to add a note or a review mark to; answer first.",
    },
    "note_prompt": {
        "ja": "{qid} のメモ・根拠（Enter=取り消し、-=メモを削除）: ",
        "en": "Note or evidence for {qid} (Enter=cancel, -=remove the note): ",
    },
    "note_current": {"ja": "現在のメモ: {note}", "en": "Current note: {note}"},
    "note_saved": {"ja": "メモを保存しました: {qid}", "en": "Note saved: {qid}"},
    "note_removed": {"ja": "メモを削除しました: {qid}", "en": "Note removed: {qid}"},
    "note_unchanged": {"ja": "メモは変更していません。", "en": "Note unchanged."},
    "review_on": {
        "ja": "{qid} に要確認の印を付けました（もう一度 r で外せます）。",
        "en": "Marked {qid} for review (r again removes the mark).",
    },
    "review_off": {"ja": "{qid} の要確認の印を外しました。", "en": "Removed the review mark from {qid}."},
    "unanswered_left": {
        "ja": "未回答の設問が{n}問あります。最初の未回答の設問に戻ります。",
        "en": "{n} question(s) still unanswered; back to the first of them.",
    },
    "pruned": {
        "ja": "条件により対象外となった設問の回答を削除しました: {ids}",
        "en": "Removed answers to questions that no longer apply: {ids}",
    },
    # -- the end ---------------------------------------------------------------------------
    "all_done": {"ja": "すべての設問に回答しました。", "en": "All questions are answered."},
    "report_offer": {
        "ja": "報告書を作成しますか？ 1=HTML  2=Markdown  Enter=作成しない  b=設問に戻る: ",
        "en": "Write the report? 1=HTML  2=Markdown  Enter=no  b=back to the questions: ",
    },
    "report_pick": {"ja": "1、2、b または Enter を入力してください。", "en": "Type 1, 2, b or just Enter."},
    "report_written": {"ja": "報告書を作成しました: {path}", "en": "Report written: {path}"},
    "report_failed": {"ja": "報告書を作成できませんでした: {reason}", "en": "Could not write the report: {reason}"},
    "resume_hint": {
        "ja": "続きから再開するには、次のコマンドを実行してください:",
        "en": "To resume, run:",
    },
    "quit": {"ja": "回答を保存して終了しました。", "en": "Answers saved; stopped."},
    "interrupted": {"ja": "中断しました。回答は保存済みです。", "en": "Interrupted. Every answer is saved."},
    # -- errors (one line each) -----------------------------------------------------------
    "not_tty": {
        "ja": "標準入力が端末ではないため対話できません（未回答 {n}問）。端末で実行するか、"
        "回答ファイルをすべて記入してから実行してください",
        "en": "stdin is not a terminal and the answers are incomplete ({n} unanswered); "
        "run in a terminal, or complete the answer file first",
    },
    "not_tty_profile": {
        "ja": "標準入力が端末ではないため、質問できません。端末で実行するか、すべて回答済みの"
        "回答ファイルを --answers で指定してください",
        "en": "stdin is not a terminal, so nothing can be asked; run in a terminal, "
        "or give a complete answer file with --answers",
    },
    "locked": {
        "ja": "この回答ファイルは別の dxassess run（プロセス {pid}）で使用中です。"
        "そちらを終了（q）してから実行してください",
        "en": "this answer file is in use by another dxassess run (process {pid}); "
        "quit that one (q) first, then run again",
    },
    "lock_failed": {
        "ja": "ロックファイルを作成できません（{reason}）。書き込みできるフォルダを指定してください",
        "en": "cannot create the lock file ({reason}); choose a folder you can write to",
    },
    "code_mismatch": {
        "ja": "回答ファイルの団体コードは {found} で、--code {given} と一致しません。"
        "別の回答ファイルを指定してください",
        "en": "the answer file is for code {found}, not --code {given}; give another --answers file",
    },
    "bad_code_option": {"ja": "--code {code}: {reason}", "en": "--code {code}: {reason}"},
    "no_questionnaire": {
        "ja": "設問票 {ref} が見つかりません。ファイルのパスか同梱の設問票のID（dxassess questionnaires）を指定してください",
        "en": "questionnaire {ref} not found; give a file path or a built-in id (see `dxassess questionnaires`)",
    },
    "other_questionnaire": {
        "ja": "回答ファイルは設問票 {found} の回答で、--questionnaire {given} とは異なります",
        "en": "the answer file answers questionnaire {found}, not --questionnaire {given}",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang` (English when missing), with `{name}` fields filled in."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
