"""The problems catalogue: every message about a problem in a file and every one-line error, in
English and Japanese, plus the Japanese of texts that third-party code writes in English (the YAML
parser, pydantic, the operating system). The English wording is what users and their scripts
already know; the Japanese is written as a municipal officer writes: polite and short, with keys,
codes, file names and YAML tokens kept as they are."""

from __future__ import annotations

import re
from typing import Any

from dxassess.text.message import Msg

# key -> (English, Japanese). Parameters are `str.format` fields.
PROBLEMS: dict[str, tuple[str, str]] = {
    # --- load.py: reading YAML within limits
    "load.too_large": (
        "file is {mb:.1f} MB, over the 10 MB limit",
        "ファイルが {mb:.1f} MB あり、上限の 10 MB を超えています。",
    ),
    "load.empty": (
        "file is empty; write a questionnaire, answer file or catalogue",
        "ファイルが空です。設問票、回答ファイルまたは手順書カタログの内容を書いてください。",
    ),
    "load.no_content": (
        "file has no content; write a questionnaire, answer file or catalogue",
        "ファイルに内容がありません。設問票、回答ファイルまたは手順書カタログの内容を書いてください。",
    ),
    "load.not_utf8": (
        "file is not UTF-8 text; save it as UTF-8",
        "ファイルが UTF-8 のテキストではありません。UTF-8 で保存し直してください。",
    ),
    "load.binary": (
        "file contains binary data (NUL byte); it is not a YAML text file",
        "ファイルにバイナリデータ（NUL バイト）が含まれています。YAML のテキストファイルではありません。",
    ),
    "load.too_many_values": (
        "file has more than {limit} values",
        "ファイルの値が {limit} 個を超えています。ファイルを分けてください。",
    ),
    "load.too_deep": (
        "nesting is deeper than {limit} levels",
        "入れ子が {limit} 階層より深くなっています。構造を浅くしてください。",
    ),
    "load.yaml_syntax": (
        "YAML syntax: {problem}; check the brackets, quotes and indentation here (text holding `: `, `#` "
        "or a bracket goes in double quotes)",
        "YAML の構文に誤りがあります: {problem}。この箇所の括弧、引用符、字下げを確認してください"
        "（「: 」「#」や括弧を含む文字列は二重引用符で囲みます）。",
    ),
    "load.yaml_value": (
        "YAML value: {reason}; correct the value here",
        "YAML の値を読み取れません: {reason}。この箇所の値を直してください。",
    ),
    "load.alias_bomb": (
        "aliases expand beyond the limit (alias bomb?)",
        "エイリアスの展開が上限を超えています（エイリアス爆弾の可能性があります）。",
    ),
    "load.alias_recursive": (
        "an alias refers to its own anchor (a recursive structure)",
        "エイリアスが自分自身のアンカーを参照しています（再帰構造）。",
    ),
    "load.key_not_plain": (
        "a mapping key must be plain text",
        "マッピングのキーは単純なテキストにしてください。",
    ),
    "load.merge_key": (
        "merge keys `<<` are not supported; write the keys out",
        "マージキー `<<` は使えません。キーを一つずつ書いてください。",
    ),
    "load.duplicate_key": (
        "duplicate key {key!r}: remove or rename one of them",
        "キー {key!r} が重複しています。どちらかを削除するか、名前を変えてください。",
    ),
    "load.top_not_mapping": (
        "the top level is {found}, not a mapping of `key: value` lines; give a questionnaire, an answer file "
        "or a catalogue (`dxassess template --format yaml` writes an answer file to start from)",
        "最上位が{found}になっています。設問票、回答ファイルまたは手順書カタログを指定し、`key: value` の行で"
        "書いてください（`dxassess template --format yaml` で回答ファイルのひな形を作成できます）。",
    ),
    "load.found_list": ("a list", "リスト"),
    "load.found_text": ("plain text", "単なるテキスト"),
    "load.found_number": ("a number", "数値"),
    "load.unknown_kind": (
        "not a dxassess file: a questionnaire has `domains`, an answer file `answers`, a catalogue `sections`",
        "dxassess のファイルではありません。設問票には `domains`、回答ファイルには `answers`、"
        "手順書カタログには `sections` が必要です。",
    ),
    # --- validate.py: reading files, pydantic errors
    "read.is_folder": (
        "is a folder, not a file; give the path of a file (`validate` and `batch` also take folders)",
        "フォルダです。ファイルを指定してください（`validate` と `batch` にはフォルダも指定できます）。",
    ),
    "read.not_found": ("file not found; check the path", "ファイルが見つかりません。パスを確認してください。"),
    "read.cannot_read": ("cannot read the file: {reason}", "ファイルを読み取れません: {reason}"),
    "read.folder_denied": ("permission denied on the folder", "フォルダへのアクセスが拒否されました"),
    "read.special_file": (
        "is a device, FIFO or socket, not a file; give a regular file",
        "デバイス、FIFO またはソケットであり、通常のファイルではありません。通常のファイルを指定してください。",
    ),
    "read.too_large": (
        "file is {mb:.1f} MB, over the {limit} MB limit for this kind of file",
        "ファイルが {mb:.1f} MB あり、この種類のファイルの上限 {limit} MB を超えています。",
    ),
    "schema.unknown_key": ("unknown key {key!r}: {fix}", "キー {key!r} は使えません。{fix}"),
    "schema.did_you_mean": ("did you mean {hint!r}?", "{hint!r} の誤りではありませんか。"),
    "schema.remove_it": ("remove it", "削除してください。"),
    "schema.missing_key": (
        "missing key {key!r} in {where}; add it",
        "{where}にキー {key!r} がありません。追加してください。",
    ),
    "schema.top_level": ("the top level", "最上位"),
    "schema.missing_type": (
        "missing key 'type' (scale, numeric, choice or yesno); add it",
        "キー 'type'（scale、numeric、choice または yesno）がありません。追加してください。",
    ),
    "schema.bad_type": (
        "type {type!r} is not one of scale, numeric, choice, yesno",
        "type {type!r} は使えません。scale、numeric、choice、yesno のいずれかにしてください。",
    ),
    "schema.value": ("{field}: {message}{shown}", "{field}: {message}{shown}"),
    "schema.found": (" (found {given!r})", "（現在の値: {given!r}）"),
    "schema.fill_in": ("; it is blank: fill it in", "空欄です。記入してください。"),
    "schema.quote_code": (
        '; an unquoted code is read as a number and loses its leading 0: write {key}: "{text}"',
        '引用符のないコードは数値として読まれ、先頭の 0 が失われます。{key}: "{text}" と引用符で囲んで書いてください。',
    ),
    "schema.quote_it": ('; write it in quotes: {key}: "{text}"', '引用符で囲んで {key}: "{text}" と書いてください。'),
    "schema.unquote_it": (
        "; write it without quotes: {key}: {text}",
        "引用符を付けずに {key}: {text} と書いてください。",
    ),
    "kind.not_questionnaire": (
        "is a {kind} file, not a questionnaire",
        "{kind} のファイルです。設問票ではありません。",
    ),
    "kind.not_answers": (
        "is a {kind} file, not an answer file; give an answer file",
        "{kind} のファイルです。回答ファイルを指定してください。",
    ),
    "answers.questionnaire_invalid": (
        "its questionnaire is invalid: {first}",
        "回答ファイルが使う設問票に誤りがあります: {first}",
    ),
    # --- checks.py: semantic rules
    "check.lang_missing": (
        "text lacks language {missing}; add it (every text needs {declared})",
        "テキストに言語 {missing} がありません。追加してください（どのテキストにも {declared} が必要です）。",
    ),
    "check.lang_extra": (
        "text has undeclared language {extra}; remove it or add it to `languages`",
        "テキストに宣言されていない言語 {extra} があります。削除するか、`languages` に追加してください。",
    ),
    "check.domain_id_twice": (
        "domain id {id!r} is used twice; rename one",
        "分野の id {id!r} が2回使われています。どちらかの名前を変えてください。",
    ),
    "check.question_id_twice": (
        "question id {id!r} is already used on line {line}; rename one",
        "設問の id {id!r} は {line} 行目ですでに使われています。どちらかの名前を変えてください。",
    ),
    "check.id_prefix": (
        "question id {id!r} must start with its domain id '{domain}.'",
        "設問の id {id!r} は、分野の id '{domain}.' で始めてください。",
    ),
    "check.domain_weight": (
        "domain weight {weight} must be greater than 0",
        "分野の weight {weight} は 0 より大きくしてください。",
    ),
    "check.question_weight": (
        "question weight {weight} must be greater than 0",
        "設問の weight {weight} は 0 より大きくしてください。",
    ),
    "check.catalogue_missing": (
        "manual catalogue {name!r} not found; put its file beside the questionnaire or use a built-in catalogue id",
        "手順書カタログ {name!r} が見つかりません。設問票と同じフォルダに置くか、同梱のカタログの id を使ってください。",
    ),
    "check.catalogue_broken": (
        "manual catalogue {name!r} is in {path} but has errors; fix them (dxassess validate {path})",
        "手順書カタログ {name!r} は {path} にありますが、誤りがあります。誤りを直してください（dxassess validate {path}）。",
    ),
    "check.unknown_section": (
        "manual section {ref!r} is not in catalogue {catalogue!r}; use one of its section ids",
        "手順書の節 {ref!r} はカタログ {catalogue!r} にありません。カタログにある節の id を使ってください。",
    ),
    "check.scale_levels": (
        "scale {name!r} has levels {levels}; number them 0, 1, 2, ... in order",
        "尺度 {name!r} のレベルが {levels} になっています。0, 1, 2, ... と順に番号を付けてください。",
    ),
    "check.unknown_scale": (
        "scale {scale!r} is not declared under `scales` (known: {known})",
        "尺度 {scale!r} は `scales` に宣言されていません（宣言済み: {known}）。",
    ),
    "check.none_declared": ("none declared", "なし"),
    "check.level_override": (
        "level {level} is not in scale {scale!r} (0–{top})",
        "レベル {level} は尺度 {scale!r} にありません（0–{top}）。",
    ),
    "check.min_max": ("min {min} must be below max {max}", "min {min} は max {max} より小さくしてください。"),
    "check.thresholds_order": (
        "thresholds {thresholds} must be strictly {way}",
        "thresholds {thresholds} は{way}に並べてください（同じ値は使えません）。",
    ),
    "check.ascending": ("ascending (direction: higher)", "昇順（direction: higher）"),
    "check.descending": ("descending (direction: lower)", "降順（direction: lower）"),
    "check.thresholds_bounds": (
        "thresholds {thresholds} must lie within min {min} and max {max}",
        "thresholds {thresholds} は min {min} から max {max} の範囲に収めてください。",
    ),
    "check.duplicate_option": (
        "option key {key!r} is used twice in {question}",
        "選択肢のキー {key!r} が {question} で2回使われています。",
    ),
    "check.when_syntax": (
        "`when` does not parse at character {pos}: {error}",
        "`when` の {pos} 文字目が解釈できません: {error}",
    ),
    "check.when_reference": (
        "`when` refers to {ref!r} ({where}); refer only to questions asked earlier",
        "`when` が {ref!r}（{where}）を参照しています。先に尋ねる設問だけを参照してください。",
    ),
    "check.later": ("later in the file", "ファイルの後方にある設問"),
    "check.unknown": ("unknown", "存在しない設問"),
    "check.when_never": (
        "`when` compares {ref} with {value!r}, a value it can never have; the comparison is always false",
        "`when` が {ref} を {value!r} と比べていますが、その値になることはありません。この比較は常に偽になります。",
    ),
    "check.when_not_option": (
        "`when` compares {ref} with {value!r}, which is none of its options; fix the key",
        "`when` が {ref} を {value!r} と比べていますが、その選択肢はありません。選択肢のキーを直してください。",
    ),
    "check.when_never_true": (
        "`when` can never be true ({when}), so the question is never asked; correct the condition",
        "`when` の条件（{when}）は常に偽になるため、この設問は尋ねられません。条件を直してください。",
    ),
    "check.control_characters": (
        "the text holds control characters ({chars}); remove them",
        "テキストに制御文字（{chars}）が含まれています。削除してください。",
    ),
    "check.date_too_early": (
        "{date} is before the national DX plan ({earliest}); check the year",
        "{date} は自治体DX推進計画（{earliest}）より前の日付です。年を確認してください。",
    ),
    "check.date_future": (
        "{date} is in the future; write the date the assessment or the answer was made",
        "{date} は未来の日付です。診断または回答を行った日付を書いてください。",
    ),
    "check.targets_missing": (
        "no target for the size band(s) {bands}; give the tier's target or the band's own",
        "規模区分 {bands} の目標がありません。区分（tier）か規模帯（band）の目標を書いてください。",
    ),
    "check.unknown_action": (
        "action {ref!r} is not in the catalogue; use an action id of the catalogue",
        "取組 {ref!r} はカタログにありません。カタログにある取組の id を使ってください。",
    ),
    "check.unknown_figure": (
        "national figure {ref!r} is not in the catalogue; use a figure id of the catalogue",
        "全国の数値 {ref!r} はカタログにありません。カタログにある数値の id を使ってください。",
    ),
    "check.unknown_scheme": (
        "support scheme {ref!r} is not in the catalogue; use a scheme id of the catalogue",
        "支援制度 {ref!r} はカタログにありません。カタログにある支援制度の id を使ってください。",
    ),
    "check.unknown_document": (
        "document {ref!r} is not listed under `documents`; add it or fix the id",
        "文書 {ref!r} は `documents` にありません。追加するか、id を直してください。",
    ),
    "check.unknown_after": (
        "`after` names {ref!r}, which is not another question of this questionnaire",
        "`after` の {ref!r} は、この設問票のほかの設問ではありません。",
    ),
    "check.step_missing": (
        "{qid} can fall below its target but no step (action) reaches level(s) {levels}; add one for level {top} "
        "under `steps` (a step serves the levels below it too), or one for each",
        "{qid} は目標を下回ることがありますが、レベル {levels} に達するための取組（steps）がありません。`steps` に"
        "レベル {top} の取組を追加してください（取組はそれより下のレベルにも使われます。レベルごとに書くこともできます）。",
    ),
    "check.no_steps": (
        "no question has `steps`: gap reports will have no next step to show; write the action that reaches each level",
        "`steps` のある設問がありません。報告書に次の一歩を示せないため、各レベルに達するための取組を書いてください。",
    ),
    "check.step_level": (
        "{qid} has a step for level {level}, which no answer can reach from below; remove it",
        "{qid} のレベル {level} の取組は、どの回答からも目指すことのないレベルです。削除してください。",
    ),
    "check.migration_previous": (
        "questionnaire {id!r} version {version!r}, which `migration` maps from, is not installed",
        "`migration` の移行元である設問票 {id!r} のバージョン {version!r} がインストールされていません。",
    ),
    "check.migration_unknown_old": (
        "{qid!r} is not a question of version {version}; remove it or fix the id",
        "{qid!r} はバージョン {version} の設問ではありません。削除するか、id を直してください。",
    ),
    "check.migration_unknown_new": (
        "{qid!r} is not a question of this version; fix the id",
        "{qid!r} はこのバージョンの設問ではありません。id を直してください。",
    ),
    "check.migration_bad_value": (
        "`values` gives {value!r} for {old!r}, which is not an answer to {new!r}; use one of its values",
        "values で {old!r} の回答を {value!r} に対応付けていますが、{new!r} の回答になりません。{new!r} で選べる値にしてください。",
    ),
    "check.migration_unmapped": (
        "an answer {value!r} to {old!r} is not an answer to {new!r} and `values` does not map it: it would be "
        "asked again on migration; add it to `values` (an option renamed?) or mark the move `changed`",
        "{old!r} の回答 {value!r} は {new!r} の回答にならず、values にも対応がないため、移行時に再確認となります。"
        "values に対応を加える（選択肢の名前を変えた場合）か、changed を付けてください。",
    ),
    "check.migration_removed_to": (
        "{qid} is marked removed and also given a `to`; keep one of them",
        "{qid} に removed と to の両方があります。どちらか一方にしてください。",
    ),
    "check.migration_nowhere": (
        "{qid} has neither `to` nor `removed: true`; say where its answer goes",
        "{qid} に to も removed: true もありません。回答の移行先を書いてください。",
    ),
    "check.migration_missing": (
        "question {qid} of version {version} is not listed under `migration.questions`; say what became of it",
        "バージョン {version} の設問 {qid} が `migration.questions` にありません。移行先を書いてください。",
    ),
    "check.catalogue_id_twice": ("id {id!r} is used twice", "id {id!r} が2回使われています。"),
    "check.section_edition": (
        "section {id} names its document by title, so it needs `edition` and `url` (or give a document id)",
        "節 {id} は文書を名称で書いているため、`edition` と `url` が必要です（または文書の id を書いてください）。",
    ),
    "check.section_twice": ("section id {id!r} is used twice", "節の id {id!r} が2回使われています。"),
    "check.value_yesno": (
        "{qid} is a yes/no question: answer true or false, not {value!r}",
        "{qid} は「はい・いいえ」の設問です。{value!r} ではなく true か false で答えてください。",
    ),
    "check.value_choice": (
        "{qid} takes one of {keys}, not {value!r}",
        "{qid} の回答は {keys} のいずれかです。{value!r} は使えません。",
    ),
    "check.value_level": (
        "{qid} takes a level from 0 to 5, not {value!r}",
        "{qid} の回答は 0 から 5 のレベルです。{value!r} は使えません。",
    ),
    "check.value_number": (
        "{qid} takes a number, not {value!r}",
        "{qid} の回答は数値です。{value!r} は使えません。",
    ),
    "check.value_range": (
        "{qid} takes a number from {min:g} to {max:g}, not {value:g}",
        "{qid} の回答は {min:g} から {max:g} までの数値です。{value:g} は範囲外です。",
    ),
    "check.value_whole": (
        "{qid} takes a whole number, not {value:g}",
        "{qid} の回答は整数です。{value:g} は使えません。",
    ),
    "check.prefecture": (
        "prefecture {prefecture!r} does not match code {code} ({expected}); correct the prefecture or the code",
        "都道府県 {prefecture!r} が団体コード {code}（{expected}）と一致しません。都道府県か団体コードを直してください。",
    ),
    "check.name_mismatch": (
        "name {name!r} does not match code {code}, which is {expected} ({prefecture}); correct the name or the code",
        "団体名 {name!r} が団体コード {code}（{prefecture}{expected}）と一致しません。団体名か団体コードを直してください。",
    ),
    "check.kind_mismatch": (
        "kind {kind!r} does not match code {code}, {expected}, which the register lists as {label}; "
        "the register's kind is used",
        "種別 {kind!r} が、市区町村一覧にある団体コード {code}（{expected}、{label}）と一致しません。"
        "一覧の種別を用います。",
    ),
    "check.unknown_code": (
        "code {code} belongs to no municipality in the register; check the code (`dxassess municipalities NAME` "
        "lists them), update the register if the municipality is new, or write `synthetic: true` for made-up data",
        "団体コード {code} はどの市区町村のものでもありません。コードを確認するか（`dxassess municipalities 団体名` "
        "で一覧できます）、新しい団体であれば市区町村一覧を更新してください。架空のデータであれば `synthetic: true` と書いてください。",
    ),
    "check.ward_code": (
        "code {code} is a ward of {city} ({city_code}), not a municipality; use the city's code",
        "団体コード {code} は{city}（{city_code}）の行政区のコードで、市区町村のコードではありません。市のコードを使ってください。",
    ),
    "check.synthetic_real": (
        "the file says `synthetic: true`, but code {code} is {name} ({prefecture}); use a code that belongs to "
        "no municipality, as `dxassess sample` does, or remove `synthetic: true` if the data is real",
        "`synthetic: true`（架空のデータ）となっていますが、団体コード {code} は{prefecture}{name}のコードです。"
        "どの団体にも割り当てられていないコードを使うか（`dxassess sample` と同様）、実際のデータであれば `synthetic: true` を削除してください。",
    ),
    "check.questionnaire_unknown": (
        "questionnaire {id!r} version {version!r} is not installed; pass --questionnaire PATH or fix the id and version",
        "設問票 {id!r} のバージョン {version!r} はインストールされていません。"
        "--questionnaire PATH を指定するか、id とバージョンを直してください。",
    ),
    "check.unknown_question": (
        "question {qid!r} is not in {questionnaire} {version}; remove the answer or fix the id",
        "設問 {qid!r} は {questionnaire} {version} にありません。回答を削除するか、id を直してください。",
    ),
    "check.unknown_question_near": (
        "question {qid!r} is not in the questionnaire: did you mean {near!r}?",
        "設問 {qid!r} は設問票にありません。{near!r} の誤りではありませんか。",
    ),
    "check.na_not_allowed": (
        "{qid} does not allow N/A; answer it or skip it",
        "{qid} は N/A（該当なし）にできません。回答するか、スキップしてください。",
    ),
    "cell.contact_long": (
        "the contact has {n} characters (at most 200)",
        "問い合わせ先が{n}文字あります（200文字まで）。",
    ),
    "cell.contact_long_fix": (
        "give the department and its public phone or e-mail only",
        "課名と代表電話・公式メールアドレスのみを記入してください。",
    ),
    "check.sharing_contact": (
        "`sharing.named` is true but there is no contact; give the department to contact "
        "(e.g. 情報政策課 with its public phone), or set `named: false`",
        "`sharing.named` が true ですが、問い合わせ先がありません。問い合わせ先の課名（代表電話等を含めても可）を記入するか、"
        "`named: false` としてください。",
    ),
    "check.contact_mobile": (
        "the contact looks like a mobile phone number ({found}); peers see it: give a department's public number "
        "unless this one is published",
        "問い合わせ先が携帯電話の番号（{found}）のようです。他団体に表示されるため、公開されている番号でない限り、"
        "課の代表番号を記入してください。",
    ),
    "check.contact_freemail": (
        "the contact looks like a private e-mail address ({found}); peers see it: give the department's "
        "official address",
        "問い合わせ先が個人のメールアドレス（{found}）のようです。他団体に表示されるため、課の公式アドレスを記入してください。",
    ),
    "check.carried_to_confirm": (
        "{count} answer(s) carried from version {version} to a question whose meaning changed ({qids}) are scored "
        "as given until answered again; dxassess run --answers THIS-FILE asks exactly these",
        "版 {version} から引き継いだ回答のうち、設問の内容が変わった {count}問（{qids}）は、回答し直すまで"
        "引き継いだ値のまま採点しています。dxassess run --answers このファイル で、該当する設問だけを尋ねます。",
    ),
    "check.part_alone": (
        "this file is the part {part!r} of a team assessment: scored alone, the questions of the other parts count "
        "as unanswered; merge the parts first (dxassess merge PARTS... -o ANSWERS)",
        "このファイルは部署分担による診断の部分回答「{part}」です。単独で採点すると、他の部分の設問は未回答として"
        "扱われます。先に部分回答を統合してください（dxassess merge 部分回答... -o 回答ファイル）。",
    ),
    "check.public_note_private": (
        "{count} public note(s) but no consent to be named (`sharing: {{named: true, contact: ...}}`): they stay "
        "private and no other municipality sees them",
        "公開用メモ（public_note）が{count}件ありますが、団体名の公表への同意（`sharing: {{named: true, contact: ...}}`）が"
        "ないため、他団体には表示されません。",
    ),
    "peers.unreadable": (
        "cannot read the peers file: {reason}; give the peers.json a batch wrote",
        "取組事例ファイルを読み取れません: {reason}。一括採点が出力した peers.json を指定してください。",
    ),
    "peers.not_json": (
        "the peers file is not JSON ({reason}); give the peers.json a batch wrote, unchanged",
        "取組事例ファイルが JSON ではありません（{reason}）。一括採点が出力した peers.json を、変更せずに指定してください。",
    ),
    "peers.invalid": (
        "the peers file is not a dxassess peers.json ({where}: {reason}); give the peers.json a batch wrote, unchanged",
        "取組事例ファイルが dxassess の peers.json ではありません（{where}: {reason}）。一括採点が出力した peers.json を、"
        "変更せずに指定してください。",
    ),
    "check.hidden_answer": (
        "{qid} is answered, but its condition `{when}` is false, so the answer is not scored; "
        "remove it or check the earlier answers",
        "{qid} に回答がありますが、条件 `{when}` が偽のため採点されません。回答を削除するか、前の回答を確認してください。",
    ),
    # --- lgcode.py: local government codes
    "code.digits": (
        'code {code!r} must be 6 digits (e.g. "011002"), quoted in YAML',
        '団体コード {code!r} は6桁にし、YAML では引用符で囲んでください（例: "011002"）。',
    ),
    "code.digits_sheet": (
        'code {code!r} must be 6 digits (e.g. "011002")',
        '団体コード {code!r} は6桁にしてください（例: "011002"）。',
    ),
    "code.prefecture_number": (
        "code {code!r} has prefecture number {number}, which is not 01–47",
        "団体コード {code!r} の都道府県番号 {number} は 01–47 の範囲にありません。",
    ),
    "code.check_digit": (
        "code {code!r} has check digit {digit}, expected {expected}; find the right code with `dxassess municipalities NAME`",
        "団体コード {code!r} の検査数字が {digit} になっています（先頭5桁が正しければ {expected}）。`dxassess municipalities 団体名` で正しいコードを確認してください。",
    ),
    "code.prefecture_code": (
        "code {code!r} is a prefecture's code, not a municipality's",
        "団体コード {code!r} は都道府県のコードです。市区町村のコードを書いてください。",
    ),
    # --- register.py: reading a register of municipalities (shipped, user's, DXASSESS_REGISTER)
    "register.not_text": (
        "register is not UTF-8 or cp932 text; save it as CSV UTF-8",
        "市区町村一覧が UTF-8 または cp932 のテキストではありません。CSV UTF-8 形式で保存してください。",
    ),
    "register.columns_missing": (
        "register lacks the column(s) {missing}; row 1 must be {columns}",
        "市区町村一覧に列 {missing} がありません。1行目は {columns} としてください。",
    ),
    "register.code_twice": (
        "code {code} appears twice (also on line {line})",
        "コード {code} が2回あります（{line} 行目にもあります）。",
    ),
    "register.ward_parent": (
        "ward {code} {name}: parent {parent} is not a designated city of the register",
        "行政区 {code} {name} の parent（{parent}）が、一覧にある政令指定都市のコードではありません。",
    ),
    "register.parent_empty": ("(empty)", "空欄"),
    "register.bad_code": (
        "{value!r} is not a local government code with a right check digit",
        "「{value}」は検査数字の正しい地方公共団体コードではありません。",
    ),
    "register.bad_kind": (
        "kind {value!r} is not one of {kinds}",
        "kind「{value}」は {kinds} のいずれかにしてください。",
    ),
    "register.bad_population": (
        "population {value!r} is not a whole number",
        "人口「{value}」が整数ではありません。",
    ),
    "register.name_empty": (
        "name and prefecture must not be empty",
        "name と prefecture は空欄にできません。",
    ),
    "register.too_large": ("register is larger than {mb} MB", "市区町村一覧が {mb} MB を超えています。"),
    "register.unreadable": (
        "register cannot be read: {reason}",
        "市区町村一覧を読み取れません（{reason}）。",
    ),
    "register.env_missing": (
        "{var} names no file; point it at a register CSV or unset it",
        "環境変数 {var} が指すファイルがありません。市区町村一覧の CSV を指定するか、設定を解除してください。",
    ),
    # --- register_update.py: the ministry's list (全国地方公共団体コード) given to `municipalities --update`
    "update.unreadable": (
        "cannot read the list: {reason}",
        "一覧を読み取れません（{reason}）。",
    ),
    "update.check_digit": (
        "{where}:{row}: code {code} has a wrong check digit; is this the ministry's list?",
        "{where}:{row}: コード {code} の検査数字が正しくありません。総務省の一覧か確認してください。",
    ),
    "update.bad_xlsx": (
        "the XLSX file cannot be read ({error})",
        "XLSX ファイルを読み取れません（{error}）。",
    ),
    "update.no_rows": (
        "no row of the ministry's list found: row 1 must hold 団体コード, 都道府県名（漢字）, 市区町村名（漢字）",
        "総務省の一覧の行が見つかりません。1行目に 団体コード、都道府県名（漢字）、市区町村名（漢字） の列が必要です。",
    ),
    "update.no_bodies": (
        "the list has no sheet of bodies (団体); give the whole XLSX or a CSV of its first sheet",
        "一覧に団体のシートがありません。XLSX ファイル全体か、1枚目のシートを保存した CSV を指定してください。",
    ),
    "update.ward_orphan": (
        "{where}: ward {code} {name} belongs to no designated city of the list",
        "{where}: 行政区 {code} {name} の属する政令指定都市が一覧にありません。",
    ),
    # --- expr.py: `when` expressions
    "expr.too_long": (
        "expression longer than {limit} characters",
        "式が {limit} 文字を超えています。",
    ),
    "expr.unexpected_character": ("unexpected character {char!r}", "使えない文字 {char!r} があります。"),
    "expr.expected": ("expected {expected!r}, found {found!r}", "{expected!r} が必要な位置に {found!r} があります。"),
    "expr.unexpected": ("unexpected {token!r}", "{token!r} はこの位置に書けません。"),
    "expr.unexpected_end": ("unexpected 'end of expression'", "式が途中で終わっています。"),
    "expr.too_deep": ("expression nested deeper than {limit}", "式の入れ子が {limit} 階層を超えています。"),
    "expr.not_question_id": (
        "{value!r} is not a question id (write `domain.question`)",
        "{value!r} は設問の id ではありません（`domain.question` の形で書いてください）。",
    ),
    "expr.empty": ("empty expression", "式が空です。"),
    # --- model validators (pydantic value_error)
    "model.answer_one_of": (
        "an answer needs exactly one of `value`, `na: true` or `skipped: true`",
        "回答には `value`、`na: true`、`skipped: true` のどれか一つだけを書いてください。",
    ),
    # --- sheets/read.py: imported spreadsheets (a cell: what is wrong, then the fix)
    "sheet.cell": ("column {col} ({key}): {what} ({fix})", "{col} 列（{key}）: {what}{fix}"),
    "sheet.header_missing": (
        "row 1 lacks the column(s) {missing} (row 1 must hold the ids written by `dxassess template`: "
        "code, name, prefecture, population, assessed)",
        "1 行目に列 {missing} がありません。1 行目には `dxassess template` が書く id"
        "（code、name、prefecture、population、assessed）を置いてください。",
    ),
    "sheet.not_csv_encoding": (
        "the CSV is neither UTF-8 nor Shift_JIS (cp932){hint}; save it as CSV UTF-8 from your spreadsheet",
        "CSV が UTF-8 でも Shift_JIS（cp932）でもありません{hint}。表計算ソフトで「CSV UTF-8」として保存し直してください。",
    ),
    "sheet.looks_like": (" (it looks like {encoding})", "（{encoding} のようです）"),
    "sheet.bad_xlsx": (
        "cannot read the XLSX file ({error}); open it and save it again as .xlsx",
        "XLSX ファイルを読み取れません（{error}）。表計算ソフトで開き、.xlsx として保存し直してください。",
    ),
    "sheet.xlsx_not_zip": (
        "it is not a complete workbook archive: damaged, or cut short while copying",
        "ブックのファイルが壊れているか、コピーの途中で欠けています",
    ),
    "sheet.xlsx_part_missing": (
        "a part of the workbook is missing from the file",
        "ブックを構成する部品の一部がファイルにありません",
    ),
    "sheet.xlsx_other_format": (
        "it is another kind of file saved under an .xlsx name (an old .xls, say)",
        "拡張子は .xlsx ですが、別の形式（旧形式の .xls など）で保存されています",
    ),
    "sheet.xlsx_xml": (
        "the sheet's contents inside the file are damaged",
        "ファイル内のシートの内容が壊れています",
    ),
    "sheet.xlsx_damaged": ("the file is damaged", "ファイルが壊れています"),
    "sheet.cannot_read": ("cannot read the sheet: {reason}", "シートを読み取れません: {reason}"),
    "sheet.not_xlsx": (
        "is named {suffix} but is not an Excel workbook (damaged, or another kind of file); open it in your "
        "spreadsheet program and save it again as .xlsx, or as CSV UTF-8",
        "拡張子は {suffix} ですが、Excel ブックではありません（破損しているか、別の種類のファイルです）。"
        "表計算ソフトで開き、.xlsx または「CSV UTF-8」として保存し直してください。",
    ),
    "sheet.ods": (
        "an OpenDocument spreadsheet (.ods) is not read: in LibreOffice Calc, choose File > Save As, "
        "file type Excel 2007-365 (.xlsx) or Text CSV (.csv), and give that file",
        "OpenDocument 形式（.ods）のシートは読み取れません。LibreOffice Calc の「ファイル」→「名前を付けて保存」で、"
        "ファイルの種類を Excel 2007-365（.xlsx）か テキスト CSV（.csv）にして保存し、そのファイルを指定してください。",
    ),
    "sheet.old_xls": (
        "this is an old .xls (or password-protected) workbook; save it as .xlsx or CSV UTF-8",
        "古い .xls 形式（またはパスワード付き）のブックです。.xlsx か「CSV UTF-8」で保存し直してください。",
    ),
    "sheet.bad_utf8_after_bom": (
        "the CSV is not valid UTF-8 after its byte-order mark; save it as CSV UTF-8 from your spreadsheet",
        "CSV に BOM がありますが、その後が正しい UTF-8 ではありません。表計算ソフトで「CSV UTF-8」として保存し直してください。",
    ),
    "sheet.bad_csv": (
        "the CSV cannot be read ({error}); save it again as CSV UTF-8",
        "CSV を読み取れません（{error}）。「CSV UTF-8」として保存し直してください。",
    ),
    "sheet.empty": (
        "the sheet is empty (a workbook is read from its first sheet: move the answers sheet to the front, "
        "or save it as CSV UTF-8)",
        "シートが空です（ブックは先頭のシートを読み込みます。回答のシートを先頭に移すか、CSV UTF-8 で保存してください）。",
    ),
    "sheet.unpacked_too_large": (
        "the workbook unpacks to {mb:.1f} MB, over the {limit} MB limit (a huge cell or a zip bomb?); "
        "save only the answer sheet as .xlsx or CSV UTF-8",
        "ブックを展開すると {mb:.1f} MB になり、上限の {limit} MB を超えています（巨大なセルまたは zip 爆弾の可能性があります）。"
        "回答シートだけを .xlsx か「CSV UTF-8」で保存し直してください。",
    ),
    "sheet.too_many_rows": (
        "the sheet has more than {limit} rows; rows from here on are not read: split the sheet",
        "シートが {limit} 行を超えています。この行以降は読み込みません。シートを分けてください。",
    ),
    "cell.too_long": (
        "the cell holds {length} characters, more than a spreadsheet cell can ({limit})",
        "セルに {length} 文字あり、表計算ソフトのセルに入る上限（{limit} 文字）を超えています。",
    ),
    "cell.too_long_fix": ("shorten it", "短くしてください。"),
    "cell.not_utf8": (
        "the cell is not UTF-8 although the rest of the file is (the row was saved in another encoding, "
        "probably Shift_JIS)",
        "ファイルの他の部分は UTF-8 ですが、このセルは UTF-8 ではありません（行が別の文字コード、"
        "おそらく Shift_JIS で保存されています）。",
    ),
    "cell.not_utf8_fix": (
        "retype the row, or save the whole file again as CSV UTF-8",
        "行を入力し直すか、ファイル全体を「CSV UTF-8」で保存し直してください。",
    ),
    "cell.code_empty": ("the code is empty", "団体コードが空です。"),
    "cell.code_fix": (
        "enter the 6-digit code with its check digit, e.g. 011002",
        "検査数字を含む6桁の団体コードを入力してください（例: 011002）。",
    ),
    "cell.code_fix_5": (
        "codes have 6 digits: add the check digit, or the leading 0 the spreadsheet dropped",
        "団体コードは6桁です。検査数字か、表計算ソフトが落とした先頭の 0 を補ってください。",
    ),
    "cell.population": (
        "population {value!r} is not a whole number of at least 1",
        "人口 {value!r} が 1 以上の整数ではありません。",
    ),
    "cell.population_fix": ("enter e.g. 12345", "12345 のように入力してください。"),
    "cell.date": ("assessed {value!r} is not a date", "診断日 {value!r} が日付ではありません。"),
    "cell.date_fix": ("enter YYYY-MM-DD, e.g. 2026-11-27", "YYYY-MM-DD の形で入力してください（例: 2026-11-27）。"),
    "cell.yes_no": ("{value!r} is not yes or no", "{value!r} は「はい・いいえ」ではありません。"),
    "cell.yes_no_fix": (
        "enter はい/いいえ, yes/no, true/false or 1/0",
        "はい/いいえ、yes/no、true/false または 1/0 を入力してください。",
    ),
    "cell.option": ("{value!r} is not an option", "{value!r} は選択肢にありません。"),
    "cell.option_fix": ("enter one of {keys}", "{keys} のいずれかを入力してください。"),
    "cell.level": ("{value!r} is not a level", "{value!r} はレベルではありません。"),
    "cell.level_fix": ("enter a whole number from 0 to 5", "0 から 5 の整数を入力してください。"),
    "cell.number": ("{value!r} is not a number", "{value!r} は数値ではありません。"),
    "cell.number_fix": ("enter a number from {bounds}", "{bounds} の数値を入力してください。"),
    "cell.out_of_range": ("{value:g} is out of range", "{value:g} は範囲外です。"),
    "cell.range_fix": ("enter a number from {bounds}", "{bounds} の数値を入力してください。"),
    "cell.range_fix_whole": ("enter a whole number from {bounds}", "{bounds} の整数を入力してください。"),
    "cell.bounds": ("{min:g} to {max:g}", "{min:g} から {max:g} まで"),
    "cell.name_empty": ("the name is empty", "団体名が空です。"),
    "cell.name_fix": ("enter the municipality's name, e.g. 札幌市", "団体名を入力してください（例: 札幌市）。"),
    "cell.na": ("N/A is not allowed for this question", "この設問は N/A（該当なし）にできません。"),
    "cell.na_fix": ("answer it, or enter skip", "回答するか、skip と入力してください。"),
    "cell.unknown_type": ("question type {type} is unknown", "設問の型 {type} は不明です。"),
    "cell.unknown_type_fix": ("update dxassess", "dxassess を更新してください。"),
    "cell.formula": ("a formula ({formula}) is not read", "数式（{formula}）は読み取りません。"),
    "cell.formula_fix": ("enter the value itself", "値そのものを入力してください。"),
    "cell.percent_not_here": (
        "{value} is a percentage, but this column does not take one",
        "{value} は百分率ですが、この列は百分率で入力する列ではありません。",
    ),
    "cell.percent_not_here_fix": (
        "enter the number in {unit}, {bounds}",
        "単位「{unit}」の数値（{bounds}）を入力してください。",
    ),
    "cell.percent_fraction": (
        "{value:g} was read as {value:g}%, not {meant:g}%",
        "{value:g} は {meant:g}% ではなく {value:g}% として読み取りました。",
    ),
    "cell.percent_fraction_fix": (
        "if {meant:g}% was meant, enter {meant:g} or {meant:g}%",
        "{meant:g}% の意味であれば、{meant:g} または {meant:g}% と入力してください。",
    ),
    "cell.column_twice": ("column id is also in column {first}", "同じ列 id が {first} 列にもあります。"),
    "cell.delete_one": ("delete one", "どちらかを削除してください。"),
    "cell.not_a_column": (
        "{key!r} is not a column of the template for {questionnaire} {version}",
        "{key!r} は {questionnaire} {version} のテンプレートの列ではありません。",
    ),
    "cell.did_you_mean": ("did you mean {near}?", "{near} の誤りではありませんか。"),
    "cell.fix_column": ("fix the id or delete the column", "id を直すか、列を削除してください。"),
    "cell.prefecture": (
        "{prefecture!r} does not match code {code} ({expected})",
        "{prefecture!r} が団体コード {code}（{expected}）と一致しません。",
    ),
    "cell.prefecture_fix": (
        "correct the prefecture or the code, or leave it empty",
        "都道府県か団体コードを直すか、都道府県を空欄にしてください。",
    ),
    "cell.unknown_code": (
        "{code} is the code of no municipality",
        "{code} はどの市区町村の団体コードでもありません。",
    ),
    "cell.unknown_code_fix": (
        "check the code; `dxassess municipalities NAME` shows a municipality's code",
        "団体コードを確認してください（`dxassess municipalities 団体名` で確認できます）。",
    ),
    "cell.ward_code": (
        "{code} is a ward of {city} ({city_code}), not a municipality",
        "{code} は{city}（{city_code}）の行政区のコードで、市区町村のコードではありません。",
    ),
    "cell.ward_code_fix": ("enter the city's code", "市の団体コードを入力してください。"),
    "cell.name_mismatch": (
        "{name!r} does not match code {code} ({expected})",
        "{name!r} が団体コード {code}（{expected}）と一致しません。",
    ),
    "cell.name_mismatch_fix": (
        "this is the code of {expected} ({prefecture}): correct the name or the code",
        "このコードは{prefecture}{expected}のものです。団体名か団体コードを直してください。",
    ),
    "cell.code_twice": ("{code} is also on {other}", "{code} は {other} にもあります。"),
    "cell.code_twice_fix": ("give each municipality one row", "1 団体につき 1 行にしてください。"),
    # --- batch/work.py: inputs a batch rejects
    "batch.too_deep": ("nesting is too deep", "入れ子が深すぎます。構造を浅くしてください。"),
    "batch.duplicate_code": (
        "code {code} is also in {other}; each municipality may appear once per batch",
        "団体コード {code} は {other} にもあります。1回の一括採点には、同じ団体を1度だけ含めてください。",
    ),
    "batch.other_domains": (
        "questionnaire {questionnaire} has other domains than {first}, which most inputs use (e.g. {source}); "
        "score each questionnaire in its own batch, or, if this file answers an earlier version, bring it "
        "up to date with `dxassess migrate`",
        "設問票 {questionnaire} は、多くの入力が使う {first}（例: {source}）と分野の構成が異なります。"
        "設問票ごとに分けて一括採点するか、このファイルが以前の版の回答であれば `dxassess migrate` で新しい版に移行してください。",
    ),
    "answerfile.not_generated": (
        "was not written by dxassess",
        "dxassess が作成したファイルではありません",
    ),
    "answerfile.changed": (
        "was changed after dxassess wrote it",
        "dxassess が作成した後に変更されています",
    ),
    "answerfile.unreadable": (
        "not a readable answer file ({reason}); run `dxassess validate`",
        "回答ファイルとして読み込めません（{reason}）。`dxassess validate` で確認してください。",
    ),
    "answerfile.not_mapping": (
        "not an answer file: the top level must be a mapping",
        "回答ファイルではありません。最上位は「キー: 値」の形で書いてください。",
    ),
    "answerfile.answers_not_mapping": (
        "`answers` must be a mapping of question id → answer",
        "`answers` は「設問ID: 回答」の形で書いてください。",
    ),
    "batch.no_answer_files": (
        "no *.yaml or *.yml answer files in this folder",
        "このフォルダには回答ファイル（*.yaml、*.yml）がありません。",
    ),
    "batch.no_answer_files_sheets": (
        "no *.yaml or *.yml answer files in this folder, but it holds sheets: name them, as in {named}",
        "このフォルダには回答ファイル（*.yaml、*.yml）がありませんが、回答シートがあります。{named} のようにシートを指定してください。",
    ),
    "batch.sheet_questionnaire": (
        "questionnaire not found for this sheet",
        "このシートの設問票が見つかりません。--questionnaire で指定してください。",
    ),
    "batch.summary_stopped": (
        "the process writing this file stopped (exit code {exit_code}); run again",
        "このファイルを書き出す処理が止まりました（終了コード {exit_code}）。もう一度実行してください。",
    ),
    "batch.summary_failed": (
        "this file could not be made ({reason}); this is a bug in dxassess: please report it with the inputs",
        "このファイルを作成できませんでした（{reason}）。dxassess の不具合です。入力ファイルを添えて報告してください。",
    ),
    "template.unreadable": (
        "cannot read the template: {reason}; give a UTF-8 Jinja2 template",
        "テンプレートを読み込めません（{reason}）。UTF-8 の Jinja2 テンプレートを指定してください。",
    ),
    "template.refused": (
        "template refused by the sandbox: {reason}; templates may only read the report data",
        "安全のための制限により、テンプレートを実行できません（{reason}）。テンプレートで使えるのは報告書のデータの読み取りだけです。",
    ),
    "template.error": (
        "template error: {reason}; fix the template",
        "テンプレートに誤りがあります（{reason}）。テンプレートを直してください。",
    ),
    "template.failed": (
        "template failed: {kind}: {reason}; fix the template",
        "テンプレートの実行中に誤りが起きました（{kind}: {reason}）。テンプレートを直してください。",
    ),
    "batch.previous_missing": (
        "no summary.json here; give --previous the output folder of an earlier `dxassess batch`",
        "summary.json がありません。--previous には、以前の `dxassess batch` の出力フォルダを指定してください。",
    ),
    "batch.previous_is_output": (
        "--previous names this run's own output folder, whose summary.json this run replaces; copy the folder "
        "first (e.g. to out-2025) and give --previous the copy",
        "--previous に今回の出力フォルダを指定しています。summary.json は今回の実行で置き換わるため、先にフォルダを"
        "コピーし（例: out-2025）、--previous にはコピーを指定してください。",
    ),
    "batch.previous_not_summary": (
        "not the summary.json of a `dxassess batch`; give --previous the output folder of an earlier batch",
        "`dxassess batch` の summary.json ではありません。--previous には、以前の一括採点の出力フォルダを指定してください。",
    ),
    "batch.cannot_write_report": ("cannot write the report: {reason}", "報告書を書き込めません: {reason}"),
    "batch.cannot_finish_report": ("cannot finish the report: {reason}", "報告書を仕上げられません: {reason}"),
    # --- errors.py
    "error.more": (
        " (+{more} more: run `dxassess validate {path}`)",
        "（ほか {more} 件。`dxassess validate {path}` で確認してください）",
    ),
    "error.more_sheet": (
        " (+{more} more: `dxassess import {path} -o FOLDER` lists them all)",
        "（ほか {more} 件。`dxassess import {path} -o 出力フォルダ` ですべて確認できます）",
    ),
    # --- files.py: outputs
    "output.disk_full": (
        "the disk is full; free some space and run again",
        "ディスクがいっぱいです。空き容量を作ってから、もう一度実行してください。",
    ),
    "output.permission": (
        "permission denied; choose a folder you can write to",
        "書き込む権限がありません。書き込めるフォルダを選んでください。",
    ),
    "output.read_only": (
        "the file system is read-only; choose another folder",
        "読み取り専用のファイルシステムです。別のフォルダを選んでください。",
    ),
    "output.is_folder": (
        "a folder has this name; give a file path",
        "同じ名前のフォルダがあります。ファイルのパスを指定してください。",
    ),
    "output.not_dir": (
        "a file stands where a folder is needed; choose another path",
        "フォルダが必要な場所にファイルがあります。別のパスを選んでください。",
    ),
    "output.other": ("{reason}; check the path", "{reason}。パスを確認してください。"),
    "output.file_size_limit": (
        "the file would exceed the file-size limit of this system (ulimit -f); raise the limit or write elsewhere",
        "このシステムのファイルサイズの上限（ulimit -f）を超えます。上限を引き上げるか、別の場所に書き込んでください。",
    ),
    "output.special_file": (
        "is a device, FIFO or socket, not a file; dxassess writes only regular files: give a file path "
        "(`report` prints to standard output when -o is left out)",
        "デバイス、FIFO またはソケットであり、通常のファイルではありません。dxassess は通常のファイルにのみ"
        "書き込みます。ファイルのパスを指定してください（`report` は -o を省略すると標準出力に出力します）。",
    ),
    "output.file_in_the_way": (
        "{file} is a file, not a folder; choose another output path",
        "{file} はファイルであり、フォルダではありません。別の出力先を指定してください。",
    ),
    "output.cannot_create_folder": (
        "cannot create the folder: {reason}",
        "フォルダを作成できません: {reason}",
    ),
    "output.file_not_folder": (
        "is a file, not a folder; give a folder path",
        "ファイルです。フォルダのパスを指定してください。",
    ),
    "output.is_input": (
        "is one of the input files; choose another output path",
        "入力ファイルの一つです。別の出力先を指定してください。",
    ),
    "output.stdout": (
        "cannot write to standard output: {reason}",
        "標準出力に書き込めません: {reason}",
    ),
    "output.stdout_closed": (
        "standard output is closed; redirect it to a file (or give -o FILE where the command has it)",
        "標準出力が閉じられています。ファイルにリダイレクトしてください（-o FILE を指定できるコマンドでは -o を使ってください）。",
    ),
    "output.refuse_overwrite": (
        "the file exists and {reason}, so it is kept; give --force to overwrite it, or choose another folder",
        "同じ名前のファイルがあり、{reason}。ファイルはそのまま残しました。上書きするには --force を付けるか、"
        "別のフォルダを指定してください。",
    ),
    "output.cannot_write": ("cannot write the file: {reason}", "ファイルを書き込めません: {reason}"),
    "output.leaves_folder": (
        "output name {name!r} would leave the output folder",
        "出力名 {name!r} は出力フォルダの外を指しています。別の名前にしてください。",
    ),
    # --- commands
    "cmd.parser_no_such_option": ("No such option: {name}", "オプション {name} はありません"),
    "cmd.parser_did_you_mean": (" (did you mean {near}?)", "（{near} の誤りではありませんか）"),
    "cmd.parser_missing_argument": ("Missing argument '{name}'", "引数 {name} を指定してください"),
    "cmd.parser_missing_option": ("Missing option '{name}'", "オプション {name} を指定してください"),
    "cmd.parser_needs_value": ("Option '{name}' requires an argument", "オプション {name} には値を指定してください"),
    "cmd.parser_invalid_value": ("Invalid value for {name}: {detail}", "{name} の値が正しくありません（{detail}）"),
    "model.text_each_language": (
        "a text in each language is needed here, as {{ja: ..., en: ...}}",
        "ここには言語ごとの文を {{ja: ..., en: ...}} の形で書いてください。",
    ),
    "model.targets_mapping": (
        "targets are a mapping by size tier, as {{designated_city: 4, core_city: 4, city: 3, special_ward: 4, "
        "town_village: 3}}",
        "目標は規模区分ごとに {{designated_city: 4, core_city: 4, city: 3, special_ward: 4, town_village: 3}} の形で"
        "書いてください。",
    ),
    "model.mapping": (
        "write a mapping of `key: value` lines here",
        "`key: value` の行によるマッピングで書いてください。",
    ),
    "cmd.detail_integer": ("a whole number", "整数で指定してください"),
    "cmd.detail_number": ("a number", "数値で指定してください"),
    "cmd.detail_at_least": ("{n} or more", "{n} 以上にしてください"),
    "cmd.detail_at_most": ("{n} or less", "{n} 以下にしてください"),
    "cmd.detail_choice": (
        "{value} is not one of {choices}",
        "{value} は指定できません。{choices} のいずれかにしてください",
    ),
    "cmd.parser_extra_arguments": ("Got unexpected extra arguments ({detail})", "余分な引数があります（{detail}）"),
    "cmd.usage_error": (
        "{message}; see `{command} --help`",
        "{message}（コマンドラインの誤りです。`{command} --help` を参照してください）",
    ),
    "cmd.empty_path": (
        "{option} is empty; give a file or folder name",
        "{option} が空です。ファイル名またはフォルダ名を指定してください。",
    ),
    "cmd.validate_nothing": (
        "give at least one file or folder to validate",
        "検査するファイルかフォルダを一つ以上指定してください。",
    ),
    "cmd.no_yaml_in_folder": (
        "no *.yaml or *.yml files in this folder",
        "このフォルダには *.yaml / *.yml のファイルがありません。",
    ),
    "cmd.validate_summary": (
        "{files} file(s) checked: {errors} error(s), {warnings} warning(s)",
        "{files} 件のファイルを検査しました: エラー {errors} 件、警告 {warnings} 件",
    ),
    "cmd.score_nothing": ("give at least one answer file", "回答ファイルを一つ以上指定してください。"),
    "cmd.compare_other": (
        "{old_path} is for {old} and {new_path} for {new}; compare one municipality with itself",
        "{old_path} は {old}、{new_path} は {new} の団体です。同じ団体の診断どうしを比べてください。",
    ),
    "cmd.compare_reversed": (
        "{old_path} (assessed {old}) is newer than {new_path} (assessed {new}); the change is shown from the "
        "first file to the second as given: swap them to see the change over time",
        "{old_path}（診断日 {old}）は {new_path}（診断日 {new}）より新しい診断です。指定された順に 1 番目から "
        "2 番目への変化を表示します。時系列の変化を見るには順序を入れ替えてください。",
    ),
    "cmd.batch_nothing": (
        "give answer files, folders or sheets to score",
        "採点する回答ファイル、フォルダまたはシートを指定してください。",
    ),
    "cmd.count_too_large": (
        "--count {count} is over {limit}: there are not enough distinct codes",
        "--count {count} は上限の {limit} を超えています。異なる団体コードが足りません。",
    ),
    "cmd.questionnaire_not_found": (
        "questionnaire {ref!r} not found; see `dxassess questionnaires`",
        "設問票 {ref!r} が見つかりません。`dxassess questionnaires` で確認してください。",
    ),
    "cmd.questionnaire_neither": (
        "questionnaire {ref!r} is neither a file nor a built-in id; see `dxassess questionnaires`",
        "設問票 {ref!r} はファイルでも同梱の id でもありません。`dxassess questionnaires` で確認してください。",
    ),
    "cmd.folder_many_questionnaires": (
        "{path}: the folder holds {count} questionnaires; give --questionnaire FILE",
        "{path}: フォルダに設問票が {count} 件あります。--questionnaire FILE で一つを指定してください。",
    ),
    "cmd.suffix_format": (
        "the file name ends in {suffix} but the format is {fmt}; pass --format {wanted}",
        "ファイル名の拡張子は {suffix} ですが、形式は {fmt} です。--format {wanted} を指定してください。",
    ),
    "cmd.suffix_unknown": (
        "cannot tell the format from the file name ending in {suffix}; name it .xlsx, .csv or .yaml, or pass --format",
        "ファイル名の拡張子 {suffix} からは形式が分かりません。拡張子を .xlsx・.csv・.yaml のいずれかにするか、"
        "--format を指定してください。",
    ),
    "cmd.migrate_no_version": (
        "questionnaire {id!r} has no version {version!r}; see `dxassess questionnaires`",
        "設問票 {id!r} のバージョン {version!r} はありません。`dxassess questionnaires` で確認してください。",
    ),
    "cmd.migrate_same": (
        "{path} already answers version {version}; nothing to migrate",
        "{path} はすでにバージョン {version} の回答です。移行は不要です。",
    ),
    "cmd.migrate_no_path": (
        "no migration leads from {id} {old} to {new}; answer the newer questionnaire afresh",
        "{id} の {old} から {new} への移行表がありません。新しい設問票で回答し直してください。",
    ),
    "cmd.check_row": ("{message} (check this row)", "{message}（この行を確認してください）"),
    "cmd.import_summary": (
        "{written} answer file(s) written to {output}; {rejected} row(s) or sheet(s) with problems",
        "{output} に回答ファイルを {written} 件作成しました。問題のある行・シートは {rejected} 件です。",
    ),
    "cmd.import_warned": (
        "{warned} row(s) written with warnings: check them",
        "警告のある行が {warned} 件あります（回答ファイルは作成しました）。内容を確認してください。",
    ),
    "cmd.unknown_kind": (
        "--kind {kind}: unknown kind; use one of {kinds}, or its label (中核市, 町 …)",
        "--kind {kind}: 種別が不明です。{kinds} のいずれか、またはその名称（中核市、町 など）を指定してください。",
    ),
    "cmd.unknown_prefecture": (
        "--prefecture {prefecture}: no such prefecture; write it as 福井県, 福井, ふくい or 18",
        "--prefecture {prefecture}: 該当する都道府県がありません。福井県、福井、ふくい、18 のように指定してください。",
    ),
    "cmd.template_prefecture_yaml": (
        "--prefecture fills one row per municipality, which a YAML answer file cannot hold: use --format csv "
        "or xlsx (`dxassess import` turns the returned sheet into one answer file per municipality)",
        "--prefecture は団体ごとに1行を記入した回答シートを作成するため、YAML 形式（1団体1ファイル）には使えません。"
        "--format csv または xlsx を指定してください（回収したシートは `dxassess import` で団体ごとの回答ファイルにできます）。",
    ),
    "cmd.json_or_csv": ("give --json or --csv, not both", "--json と --csv はどちらか一方を指定してください。"),
    "cmd.update_alone": (
        "--update takes only the ministry's list file(s); list or search the register in another run",
        "--update には総務省の一覧ファイルだけを指定してください。一覧の表示・検索は別に実行してください。",
    ),
    "cmd.import_unfilled": (
        "{count} pre-filled row(s) with nothing filled in were skipped",
        "記入のない行（団体コード・団体名などの記入済み欄のみ）{count} 件は取り込んでいません。",
    ),
    "cmd.import_nothing": (
        "give at least one CSV or XLSX sheet to import",
        "取り込む CSV か XLSX のシートを一つ以上指定してください。",
    ),
    # --- team assessment: parts, merge, progress
    "merge.nothing": (
        "give the part files to merge (answer files or sheets)",
        "統合する部分回答のファイル（回答ファイルまたはシート）を指定してください。",
    ),
    "merge.other_municipality": (
        "{first} is for {first_code} {first_name} but {other} is for {other_code} {other_name}; "
        "merge the parts of one municipality (with sheets, choose one with --code)",
        "{first} は {first_code} {first_name}、{other} は {other_code} {other_name} の回答です。"
        "同じ団体の部分回答どうしを統合してください（シートの場合は --code で団体を指定してください）。",
    ),
    "merge.other_questionnaire": (
        "{first} answers {first_q} but {other} answers {other_q}; "
        "bring the older part to the same version first (dxassess migrate)",
        "{first} は設問票 {first_q}、{other} は {other_q} の回答です。"
        "古い方を先に同じ版へ移行してください（dxassess migrate）。",
    ),
    "merge.same_name": (
        "two parts are named {name!r} ({first} and {other}); give each part its own name (part: name:)",
        "部分回答の名前 {name!r} が重複しています（{first} と {other}）。"
        "部分ごとに別の名前（part: の name:）を付けてください。",
    ),
    "merge.unknown_prefer": (
        "--prefer {rule}: no part has this name; use newest or one of: {names}",
        "--prefer {rule}: この名前の部分回答はありません。newest か、次のいずれかを指定してください: {names}",
    ),
    "merge.details_differ": (
        "the parts give different municipality {field} ({values}); correct the part that is wrong, "
        "or choose with --prefer",
        "部分回答によって団体の {field} が異なります（{values}）。誤っている部分回答を直すか、"
        "--prefer で採用する部分回答を指定してください。",
    ),
    "merge.no_rows": (
        "no row of this sheet is for municipality {code}",
        "このシートには団体コード {code} の行がありません。",
    ),
    "merge.many_municipalities": (
        "the rows are for {count} municipalities ({codes}); choose one with --code",
        "行が {count} 団体分あります（{codes}）。--code で団体を一つ指定してください。",
    ),
    "merge.conflict": (
        "{qid}: the parts answered differently: {given}; decide, then merge again with --prefer, "
        "or write the answer under `answers` and delete this entry",
        "{qid}: 部分回答の間で回答が異なります: {given}。どちらを採るか決めて、--prefer を付けて統合し直すか、"
        "answers に回答を書いてこの項目を削除してください。",
    ),
    "merge.resolved": (
        "{qid}: the parts answered differently: {given}; --prefer {rule} chose {part}",
        "{qid}: 部分回答の間で回答が異なります: {given}。--prefer {rule} により {part} の回答を採用しました。",
    ),
    "merge.detail_chosen": (
        "the parts give different municipality {field}; --prefer chose {part}'s",
        "部分回答によって団体の {field} が異なります。--prefer により {part} の値を採用しました。",
    ),
    "merge.value_na": ("N/A", "該当なし"),
    "merge.value_skipped": ("skipped", "スキップ"),
    "merge.unknown_date": ("date unknown", "日付不明"),
    "merge.not_a_part": (
        "not an answer file or a CSV/XLSX sheet; give answer files (.yaml) or sheets (.csv, .xlsx)",
        "回答ファイルでも CSV/XLSX のシートでもありません。回答ファイル（.yaml）かシート（.csv、.xlsx）を指定してください。",
    ),
    "part.unknown_domain": (
        "--domain {domain}: no such domain in {questionnaire}; domains: {domains}",
        "--domain {domain}: 設問票 {questionnaire} にこの分野はありません。分野: {domains}",
    ),
    "part.empty": (
        "the selection holds no question of {questionnaire}; check --domain and --owner",
        "指定した範囲に設問票 {questionnaire} の設問がありません。--domain と --owner を確認してください。",
    ),
    "part.other_part": (
        "the answer file is part {found}, not the part given ({given}); give another --answers file",
        "回答ファイルは部分回答「{found}」で、指定された範囲（{given}）とは異なります。別の回答ファイルを指定してください。",
    ),
}

# ruamel.yaml's and Python's own texts that a broken file commonly produces, with their
# Japanese (without the closing 。: the sentence they are put in ends them). Anything not listed
# stays as the parser wrote it, inside a Japanese sentence.
_FOREIGN: list[tuple[str, str]] = [  # (pattern, Japanese): compiled on first use
    (
        r"found character '\\t' that cannot start any token",
        "この位置にタブ文字は書けません（インデントにはタブではなく空白を使ってください）",
    ),
    (r"found character (.+) that cannot start any token", "この位置に文字 {0} は書けません"),
    (r"expected (.+), but got (.+)", "{0} が必要な位置に {1} があります"),
    (r"expected (.+), but found (.+)", "{0} が必要な位置に {1} があります"),
    (r"did not find expected (.+)", "{0} が見つかりません"),
    (
        r"mapping values are not allowed here",
        "ここにはマッピングの値を書けません（`:` の位置やインデントを確認してください）",
    ),
    (r"found undefined alias (.+)", "定義されていないエイリアス {0} があります"),
    (r"found unknown escape character (.+)", "不明なエスケープ文字 {0} があります"),
    (r"found unexpected end of stream", "ファイルが途中で終わっています"),
    (r"found duplicate anchor (.+)", "アンカー {0} が重複しています"),
    (r"could not find expected ':'", "`:` が見つかりません"),
    (r"could not determine a constructor for the tag (.+)", "タグ {0} は使えません"),
    (r"month must be in 1\.\.12", "月は 1 から 12 にしてください"),
    (r"day is out of range for month", "日がその月の範囲外です"),
    (r"year (.+) is out of range", "年 {0} が範囲外です"),
]


def foreign(text: str) -> Msg:
    """A parser's English text, with its Japanese where it is a known one (else the same text)."""
    for pattern, ja in _FOREIGN:
        match = re.fullmatch(pattern, text.strip())
        if match:
            parts = [
                group.replace(", ", "、").replace(" or ", " または ") if "'" in group else group
                for group in match.groups()
            ]
            english = text + (" (indent with spaces, not tabs)" if "'\\t'" in text else "")
            return Msg(english, ja.format(*parts))
    return Msg(text, text)


# errno → Japanese for the operating system's own reason (English: its strerror)
_OS_JA = {
    "EEXIST": "同じ名前のファイルがあります",
    "ENOENT": "ファイルまたはフォルダがありません",
    "ENAMETOOLONG": "名前が長すぎます",
    "ELOOP": "シンボリックリンクが循環しています",
    "EBUSY": "ほかのプログラムが使用中です",
    "EMFILE": "開いているファイルが多すぎます",
    "EIO": "入出力エラーが起きました",
    "EINVAL": "パスに使えない文字があります",
    "ENOTDIR": "フォルダが必要な場所にファイルがあります",
    "EISDIR": "フォルダです",
    "EACCES": "アクセスが拒否されました",
    "EPERM": "操作が許可されていません",
    "ENOSPC": "ディスクがいっぱいです",
    "EROFS": "読み取り専用のファイルシステムです",
    "EFBIG": "ファイルサイズの上限を超えています",
}


def more_problems(more: int, path: Any) -> Msg:
    """The hint after the first of several problems of a file: the command that lists them all
    (`validate` reads answer files and questionnaires; a sheet's rows are listed by `import`)."""
    from dxassess.filekinds import is_sheet
    from dxassess.text import msg

    return msg("error.more_sheet" if is_sheet(path) else "error.more", more=more, path=path)


def os_reason(exc: BaseException) -> Msg:
    """The operating system's reason for an OSError: its own English text, and Japanese."""
    import errno

    english = getattr(exc, "strerror", None) or str(exc)
    name = errno.errorcode.get(getattr(exc, "errno", None) or -1, "")
    return Msg(english, _OS_JA.get(name, english))


def xlsx_damage(exc: BaseException) -> Msg:
    """What is wrong with a workbook that cannot be read, told from the exception in words an
    officer can act on (the name of a Python exception means nothing to them)."""
    from dxassess.text import msg

    names = {c.__name__ for c in type(exc).__mro__}
    if names & {"BadZipFile", "EOFError", "LargeZipFile"}:
        return msg("sheet.xlsx_not_zip")
    if "KeyError" in names:  # a part the workbook lists, or needs, is not in the archive
        return msg("sheet.xlsx_part_missing")
    if "InvalidFileException" in names:
        return msg("sheet.xlsx_other_format")
    if names & {"ParseError", "XMLSyntaxError", "SyntaxError", "ExpatError"}:
        return msg("sheet.xlsx_xml")
    return msg("sheet.xlsx_damaged")


# ---- pydantic's errors (DX100), translated by error type with its context

PYDANTIC_JA: dict[str, str] = {
    "string_type": "文字列で書いてください。",
    "int_type": "整数で書いてください。",
    "int_parsing": "整数で書いてください。",
    "int_from_float": "整数で書いてください（小数は使えません）。",
    "float_type": "数値で書いてください。",
    "float_parsing": "数値で書いてください。",
    "finite_number": "有限の数値で書いてください。",
    "bool_type": "true か false で書いてください。",
    "bool_parsing": "true か false で書いてください。",
    "greater_than": "{gt} より大きい値にしてください。",
    "greater_than_equal": "{ge} 以上の値にしてください。",
    "less_than": "{lt} より小さい値にしてください。",
    "less_than_equal": "{le} 以下の値にしてください。",
    "multiple_of": "{multiple_of} の倍数にしてください。",
    "string_pattern_mismatch": "パターン '{pattern}' に合う文字列にしてください。",
    "string_too_short": "{min_length} 文字以上にしてください。",
    "string_too_long": "{max_length} 文字以下にしてください。",
    "too_short": "{min_length} 個以上書いてください。",
    "too_long": "{max_length} 個以下にしてください。",
    "literal_error": "{expected} のいずれかにしてください。",
    "enum": "{expected} のいずれかにしてください。",
    "dict_type": "`key: value` の行によるマッピングで書いてください。",
    "model_type": "`key: value` の行によるマッピングで書いてください。",
    "model_attributes_type": "`key: value` の行によるマッピングで書いてください。",
    "list_type": "リスト（`- ` で始まる行）で書いてください。",
    "tuple_type": "リスト（`- ` で始まる行）で書いてください。",
    "set_type": "リスト（`- ` で始まる行）で書いてください。",
    "date_type": "日付を YYYY-MM-DD の形で書いてください。",
    "date_parsing": "日付を YYYY-MM-DD の形で書いてください。",
    "date_from_datetime_parsing": "日付を YYYY-MM-DD の形で書いてください。",
    "date_from_datetime_inexact": "時刻を付けずに、日付を YYYY-MM-DD の形で書いてください。",
    "date_future": "未来の日付にしてください。",
    "date_past": "過去の日付にしてください。",
    "url_type": "URL を文字列で書いてください。",
    "url_parsing": "正しい URL を書いてください。",
    "url_scheme": "URL のスキームは {expected_schemes} にしてください。",
    "none_required": "値を書かないでください。",
    "union_tag_invalid": "{tag!r} は使えません。{expected_tags} のいずれかにしてください。",
    "string_unicode": "正しい文字列で書いてください。",
}

_VALUE_ERRORS: dict[str, str] = {PROBLEMS["model.answer_one_of"][0]: "model.answer_one_of"}


# The keys whose value is a text in each language ({ja: ..., en: ...}) in the questionnaire and
# catalogue models (tests/test_messages.py keeps this list equal to the models' own).
TEXT_KEYS = frozenset(
    {
        "basis",
        "by",
        "description",
        "edition",
        "label",
        "name",
        "source",
        "summary",
        "text",
        "title",
        "unit",
        "what",
        "year",
    }
)


def pydantic_message(err: dict[str, Any]) -> Msg:
    """pydantic's message of one error (English as pydantic words it) and its Japanese; an error
    type without a translation is English in both languages. A mapping expected where plain text
    or a list was written says which mapping (a text in each language, targets by size), never
    the name of a class inside dxassess."""
    english = err["msg"].replace("Value error, ", "")
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    loc = err.get("loc") or ()
    if kind in ("dict_type", "model_type"):
        from dxassess.text import msg

        last = loc[-1] if loc else ""
        if kind == "dict_type" and isinstance(err.get("input"), str) and last in TEXT_KEYS:
            return msg("model.text_each_language")
        if kind == "model_type" and ctx.get("class_name") == "Targets":
            return msg("model.targets_mapping")
        return msg("model.mapping")
    if kind in ("value_error", "assertion_error"):
        key = _VALUE_ERRORS.get(english)
        return Msg(english, PROBLEMS[key][1]) if key else Msg(english, english)
    template = PYDANTIC_JA.get(kind)
    if template is None:
        return Msg(english, english)
    values = {name: _ctx_text(value) for name, value in ctx.items()}
    try:
        return Msg(english, template.format(**values))
    except (KeyError, IndexError, ValueError):
        return Msg(english, english)


def _ctx_text(value: Any) -> Any:
    if isinstance(value, str):
        # pydantic's `expected` texts read "'a', 'b' or 'c'": Japanese uses 、 and または
        return re.sub(r"' or '", "'、'", value).replace("', '", "'、'")
    return value
