"""The interview catalogue: every prompt and message of `dxassess run`. Keys start with
`interview.`."""

from __future__ import annotations

INTERVIEW: dict[str, tuple[str, str]] = {
    "interview.migrated": (
        "The answers of version {old} were carried to {new} (the file as it was is kept as {kept}). "
        "New questions, and {again} whose meaning changed, are asked now; Enter keeps a carried answer.",
        "設問票 {old} の回答を {new} に引き継ぎました（元のファイルは {kept} に保存）。新しい設問と、内容が変わった"
        "{again}問を尋ねます。引き継いだ回答のままでよければ Enter を押してください。",
    ),
    "interview.percent_share": (
        "{value} would be {value}%. If you mean {meant}%, type {meant}; type {value} again to keep {value}%.",
        "{value} は {value}% として記録されます。{meant}% の意味であれば {meant} と入力してください"
        "（{value}% のままでよければ、もう一度 {value} と入力してください）。",
    ),
    "interview.ask_code": (
        "Local government code (6 digits, e.g. 011002) or the municipality's name: ",
        "団体コード（6桁、例: 011002）または団体名: ",
    ),
    "interview.name_none": (
        "No municipality's name holds “{name}”; check it, or give the 6-digit code.",
        "「{name}」を含む名前の団体はありません。名前を確かめるか、6桁の団体コードを入力してください。",
    ),
    "interview.name_many": (
        "{n} municipalities' names hold “{name}”; type more of the name, or the code.",
        "「{name}」を含む名前の団体が{n}件あります。名前をもう少し詳しく入力するか、団体コードを入力してください。",
    ),
    "interview.name_some": (
        "{n} municipalities' names hold “{name}”; type the code of yours:",
        "「{name}」を含む名前の団体が{n}件あります。該当する団体コードを入力してください。",
    ),
    "interview.code_digits": (
        "The code has 6 digits (e.g. 011002).",
        "団体コードは6桁の数字で入力してください（例: 011002）。",
    ),
    "interview.code_prefecture": (
        "The first two digits ({pref}) are not a prefecture number (01 to 47).",
        "先頭2桁（{pref}）が都道府県番号（01〜47）ではありません。",
    ),
    "interview.code_check": (
        "The check digit (6th digit) does not match; with these first five digits it is {expected}.",
        "検査数字（6桁目）が一致しません。先頭5桁が正しければ {expected} になります。",
    ),
    "interview.code_prefectural": (
        "This is a prefecture's code; enter a municipality's code.",
        "都道府県の団体コードです。市区町村の団体コードを入力してください。",
    ),
    "interview.code_unknown": (
        "No municipality has this code; check it (`dxassess municipalities NAME` shows a municipality's code).",
        "この団体コードの市区町村はありません。コードを確認してください（`dxassess municipalities 団体名` で確認できます）。",
    ),
    "interview.code_ward": (
        "This is the code of a ward of {city}; enter the city's code, {city_code}.",
        "{city}の行政区のコードです。市の団体コード（{city_code}）を入力してください。",
    ),
    "interview.identified": ("{name} ({prefecture}, {kind})", "{name}（{prefecture}・{kind}）"),
    "interview.name_differs": (
        "Note: {name} is not the name of code {code} ({expected}); the name is kept as given.",
        "注意: 団体名「{name}」は団体コード {code} の団体（{expected}）と一致しません。入力された団体名のまま記録します。",
    ),
    "interview.ask_name": ("Name of the municipality (e.g. 札幌市): ", "団体名（例: 札幌市）: "),
    "interview.name_empty": ("Enter the name of the municipality.", "団体名を入力してください。"),
    "interview.ask_population": ("Population: ", "人口（住民基本台帳人口）: "),
    "interview.ask_population_default": (
        "Population [Enter={default}]: ",
        "人口（住民基本台帳人口）[Enter={default}]: ",
    ),
    "interview.bad_population": (
        "Enter the population as a whole number of at least 1 (e.g. 48500).",
        "人口は1以上の整数で入力してください（例: 48500）。",
    ),
    "interview.created": ("Created the answer file: {path}", "回答ファイルを作成しました: {path}"),
    "interview.resumed": (
        "Opened the answer file: {path} ({done} of {total} questions answered)",
        "回答ファイルを読み込みました: {path}（{done}/{total}問 回答済み）",
    ),
    "interview.resumed_skipped": (
        "Opened the answer file: {path} ({done} of {total} questions answered, {skipped} skipped)",
        "回答ファイルを読み込みました: {path}（{done}/{total}問 回答済み、スキップ {skipped}問）",
    ),
    "interview.updated_profile": (
        "Updated the municipality's details ({fields}).",
        "団体情報を更新しました（{fields}）。",
    ),
    "interview.intro": (
        "Each answer is saved as you give it. Stop at any time; the same command resumes.",
        "回答は1問ごとに保存されます。中断しても同じコマンドで続きから再開できます。",
    ),
    "interview.progress": ("Question {i} of {n}", "設問 {i}/{n}"),
    "interview.domain": ("Domain {d} of {nd}", "分野 {d}/{nd}"),
    "interview.sep": ("  |  ", "  ・  "),
    "interview.progress_label": ("By domain", "分野別の進捗"),
    "interview.domain_done": (" ({done}/{n} answered)", "（回答 {done}/{n}）"),
    "interview.current_legend": (" (* marks the current answer)", "（* は現在の回答）"),
    "interview.current_value": ("Current answer: {value}", "現在の回答: {value}"),
    "interview.unit_range": ("Unit: {unit}   Range: {min} to {max}", "単位: {unit}\u3000範囲: {min}〜{max}"),
    "interview.whole_numbers": (" (whole numbers)", "（整数）"),
    "interview.na": ("Not applicable", "該当なし"),
    "interview.skipped": ("Skipped", "スキップ"),
    "interview.flag_note": ("note", "メモあり"),
    "interview.flag_review": ("for review", "要確認"),
    "interview.keys": (
        "?=help  b=back  s=skip  n=note  r=review  q=save and quit",
        "?=説明  b=戻る  s=スキップ  n=メモ  r=要確認  q=保存して終了",
    ),
    "interview.prompt": ("Answer: ", "回答: "),
    "interview.prompt_default": ("Answer [Enter={default}]: ", "回答 [Enter={default}]: "),
    "interview.narrow_hint": (
        "(? shows what each option means)",
        "（各選択肢の説明は ? で表示します）",
    ),
    "interview.question_named": ("question {n} ({qid})", "設問{n}（{qid}）"),
    "interview.saved": ("Saved: {qid} = {value}", "保存しました: {qid} = {value}"),
    "interview.pick_one": ("Enter one of {keys} (? for help).", "{keys} のいずれかを入力してください（?=説明）。"),
    "interview.pick_number": (
        "Enter a number from {min} to {max} ({unit}).",
        "{min}〜{max}の数値を入力してください（単位: {unit}）。",
    ),
    "interview.pick_whole": ("Enter a whole number.", "整数で入力してください。"),
    "interview.need_answer": (
        "Type an answer (s to skip, ? for help).",
        "回答を入力してください（s=スキップ、?=説明）。",
    ),
    "interview.na_not_allowed": (
        "This question cannot be answered N/A; answer it or skip it with s.",
        "この設問は「該当なし」を選べません。回答するか、s でスキップしてください。",
    ),
    "interview.first_question": ("This is the first question.", "最初の設問です。"),
    "interview.no_help": ("This question has no further help.", "この設問に補足説明はありません。"),
    "interview.manual_refs": ("Manual sections", "手順書・計画の該当箇所"),
    "interview.yes_means": ("Yes means: {text}", "「はい」の目安: {text}"),
    "interview.no_last_answer": (
        "There is no answer yet to add a note or a review mark to; answer first.",
        "メモや要確認の印を付ける回答がまだありません。先に回答してください。",
    ),
    "interview.note_prompt": (
        "Note or evidence for {qid} (Enter=cancel, -=remove the note): ",
        "{qid}のメモ・根拠（Enter=取り消し、-=メモを削除）: ",
    ),
    "interview.note_current": ("Current note: {note}", "現在のメモ: {note}"),
    "interview.note_saved": ("Note saved: {qid}", "メモを保存しました: {qid}"),
    "interview.note_removed": ("Note removed: {qid}", "メモを削除しました: {qid}"),
    "interview.note_unchanged": ("Note unchanged.", "メモは変更していません。"),
    "interview.review_on": (
        "Marked {qid} for review (r again removes the mark).",
        "{qid}に要確認の印を付けました（もう一度 r で外せます）。",
    ),
    "interview.review_off": ("Removed the review mark from {qid}.", "{qid}の要確認の印を外しました。"),
    "interview.unanswered_left": (
        "{n} question(s) still unanswered; back to the first of them.",
        "未回答の設問が{n}問あります。最初の未回答の設問に戻ります。",
    ),
    "interview.pruned": (
        "Removed answers to questions that no longer apply: {ids}",
        "条件により対象外となった設問の回答を削除しました: {ids}",
    ),
    "interview.all_done": ("All questions are answered.", "すべての設問に回答しました。"),
    "interview.all_done_skipped": (
        "All questions are answered or skipped ({n} skipped: they are asked again when you resume this file).",
        "すべての設問に回答またはスキップしました（スキップ {n}問は、このファイルで再開したときにもう一度尋ねます）。",
    ),
    "interview.revisit_skipped": (
        "{n} question(s) skipped earlier: asked once more now (s skips again).",
        "前回スキップした設問が{n}問あります。もう一度尋ねます（s で再びスキップできます）。",
    ),
    "interview.sharing_title": (
        "Sharing with municipalities of your size (optional)",
        "同規模団体への取組事例の提供（任意）",
    ),
    "interview.sharing_explain": (
        "Other municipalities of the same size that are behind on a question you have reached could be told "
        "your municipality's name, a department to contact and your public notes. Without your consent nothing "
        "about your municipality is shown to others (only anonymous statistics).",
        "本団体が目標水準に達している設問について、同規模で取組が遅れている団体の報告書に、団体名・問い合わせ先"
        "（課名）・公開用メモを掲載してよいかをお尋ねします。同意しない場合、本団体の情報が他団体に示されることは"
        "ありません（匿名の統計のみ）。",
    ),
    "interview.sharing_ask": (
        "May peers see your name and contact? 1=yes  2=no  Enter=not now: ",
        "団体名と問い合わせ先の掲載に同意しますか？ 1=同意する  2=同意しない  Enter=今は回答しない: ",
    ),
    "interview.sharing_pick": ("Type 1, 2 or just Enter.", "1、2 または Enter を入力してください。"),
    "interview.sharing_contact": (
        "Department to contact (its public phone or official e-mail may follow; never a person's own): ",
        "問い合わせ先の課名（課の代表電話・公式メールアドレスを添えても可。個人の連絡先は不可）: ",
    ),
    "interview.sharing_contact_again": (
        "Give the department's number or address instead, or enter the same again to keep it.",
        "課の代表番号や課のメールアドレスを入力し直してください（同じ内容をもう一度入力すると、そのまま登録します）。",
    ),
    "interview.sharing_no_contact": (
        "No contact given, so the consent was not saved; you are asked again next time.",
        "問い合わせ先の入力がないため、同意は保存していません。次回もう一度お尋ねします。",
    ),
    "interview.sharing_saved_yes": (
        "Saved: peers may see your name and contact ({contact}).",
        "保存しました: 団体名と問い合わせ先（{contact}）を同規模団体に掲載します。",
    ),
    "interview.sharing_saved_no": (
        "Saved: nothing about your municipality is shown to others.",
        "保存しました: 本団体の情報は他団体に示しません。",
    ),
    "interview.sharing_later": (
        "Not answered; you are asked again next time.",
        "回答を保留しました。次回もう一度お尋ねします。",
    ),
    "interview.sharing_is_yes": (
        "Sharing with peers: consented (contact: {contact}). To change it, edit or delete the `sharing` line of "
        "the answer file (deleted, it is asked again).",
        "同規模団体への掲載: 同意あり（問い合わせ先: {contact}）。変更するには回答ファイルの `sharing` 行を編集または"
        "削除してください（削除すると次回もう一度お尋ねします）。",
    ),
    "interview.sharing_is_no": (
        "Sharing with peers: not consented. To change it, edit or delete the `sharing` line of the answer file "
        "(deleted, it is asked again).",
        "同規模団体への掲載: 同意なし。変更するには回答ファイルの `sharing` 行を編集または削除してください"
        "（削除すると次回もう一度お尋ねします）。",
    ),
    "interview.report_offer": (
        "Write the report? 1=HTML  2=Markdown  Enter=no  b=back to the questions: ",
        "報告書を作成しますか？ 1=HTML  2=Markdown  Enter=作成しない  b=設問に戻る: ",
    ),
    "interview.report_pick": ("Type 1, 2, b or just Enter.", "1、2、b または Enter を入力してください。"),
    "interview.report_written": ("Report written: {path}", "報告書を作成しました: {path}"),
    "interview.report_failed": ("Could not write the report: {reason}", "報告書を作成できませんでした: {reason}"),
    "interview.resume_hint": ("To resume, run:", "続きから再開するには、次のコマンドを実行してください:"),
    "interview.quit": ("Answers saved; stopped.", "回答を保存して終了しました。"),
    "interview.interrupted": ("Interrupted. Every answer is saved.", "中断しました。回答は保存済みです。"),
    "interview.stopped_early": (
        "Stopped before the first question; no answer file was written.",
        "最初の設問の前に終了しました。回答ファイルは作成していません。",
    ),
    "interview.not_tty": (
        "stdin is not a terminal and the answers are incomplete ({n} unanswered); run in a terminal, or complete the answer file first",
        "標準入力が端末ではないため対話できません（未回答 {n}問）。端末で実行するか、回答ファイルをすべて記入してから実行してください",
    ),
    "interview.not_tty_profile": (
        "stdin is not a terminal, so nothing can be asked; run in a terminal, or give a complete answer file with --answers",
        "標準入力が端末ではないため、質問できません。端末で実行するか、すべて回答済みの回答ファイルを --answers で指定してください",
    ),
    "interview.locked": (
        "this answer file is in use by another dxassess run (process {pid}); quit that one (q) first, then run again",
        "この回答ファイルは別の dxassess run（プロセス {pid}）で使用中です。そちらを終了（q）してから実行してください",
    ),
    "interview.lock_failed": (
        "cannot create the lock file ({reason}); choose a folder you can write to",
        "ロックファイルを作成できません（{reason}）。書き込みできるフォルダを指定してください",
    ),
    "interview.code_mismatch": (
        "the answer file is for code {found}, not --code {given}; give another --answers file",
        "回答ファイルの団体コードは {found} で、--code {given} と一致しません。別の回答ファイルを指定してください",
    ),
    "interview.bad_code_option": ("--code {code}: {reason}", "--code {code}: {reason}"),
    # --- confirming answers whose evidence expired or that are old; parts of a team assessment
    "interview.stale_expired": ("its evidence expired on {date}", "根拠資料の有効期限（{date}）が過ぎています"),
    "interview.stale_old": (
        "answered on {date}, more than {months} months ago",
        "{date}の回答で、{months}か月より前です",
    ),
    "interview.changed_line": (
        "The question changed since the version this answer was given for{why}. Enter keeps the carried "
        "answer; or give a new one.",
        "前の版の設問票から内容が変わった設問です{why}。Enter で引き継いだ回答をそのまま使うか、回答し直してください。",
    ),
    "interview.changed_why": (": {why}", "（{why}）"),
    "interview.stale_line": (
        "To confirm: {why}. c = the answer still holds; or give a new answer.",
        "要再確認: {why}。c = 回答は現在も有効（確認済みにする）、または回答し直してください。",
    ),
    "interview.stale_notice": (
        "{n} answer(s) need confirming (evidence expired, or answered more than {months} months ago); "
        "they are shown after the unanswered questions: c confirms, Enter keeps, or answer again.",
        "確認が必要な回答が{n}件あります（根拠資料の有効期限切れ、または{months}か月より前の回答）。"
        "未回答の設問の後に表示しますので、c で確認、Enter でそのまま、または回答し直してください。",
    ),
    "interview.confirmed": ("Confirmed {qid}, dated {date}", "{qid}の回答を確認しました（{date}付け）"),
    "interview.no_answer_to_confirm": (
        "There is no answer to confirm yet; answer first.",
        "確認する回答がまだありません。先に回答してください。",
    ),
    "interview.ask_expiry": (
        "New expiry date of the evidence (YYYY-MM-DD; Enter = no date): ",
        "根拠資料の新しい有効期限（YYYY-MM-DD、Enter=期限なし）: ",
    ),
    "interview.bad_expiry": (
        "Enter a date as YYYY-MM-DD, or just Enter.",
        "日付は YYYY-MM-DD の形で入力するか、Enter のみを押してください。",
    ),
    "interview.past_expiry": (
        "That date has passed; enter a later one, or just Enter.",
        "過ぎた日付です。これより後の日付を入力するか、Enter のみを押してください。",
    ),
    "interview.part": (
        "Part {name}: {count} question(s) of this part are asked; answers are recorded as given by {by}.",
        "部分回答「{name}」: この部分の{count}問を尋ねます。回答者は「{by}」として記録します。",
    ),
    "interview.other_questionnaire": (
        "the answer file answers questionnaire {found}, not --questionnaire {given}",
        "回答ファイルは設問票 {found} の回答で、--questionnaire {given} とは異なります",
    ),
}
