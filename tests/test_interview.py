"""The interview: the session from scripted input, then the real program in a pseudo-terminal."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from dxassess import typed
from dxassess.answerfile import AnswerFile
from dxassess.inputs import load_assessment, load_questionnaire
from dxassess.interview import Interview, Terminal, code_reason, parse_answer, parse_population
from dxassess.lock import AnswerLock, LockHeld
from dxassess.text import text
from dxassess.text.interview import INTERVIEW

CASES = Path(__file__).parent / "cases" / "valid"
MINI = CASES / "mini.yaml"
QUESTIONNAIRE, CATALOGUE = load_questionnaire(MINI)


def scripted(lines: list[str], width: int = 80) -> tuple[Terminal, io.StringIO]:
    """A terminal reading `lines` (then EOF) and writing a transcript, prompts and input included."""
    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, force_terminal=False, highlight=False, emoji=False)
    feed = list(lines)

    def read_line(prompt: str) -> str:
        out.write(prompt)
        if not feed:
            raise EOFError
        line = feed.pop(0)
        out.write(line + "\n")
        return line

    return Terminal(console, read_line), out


def session(tmp_path: Path, lines: list[str], lang: str = "ja", width: int = 80) -> tuple[Interview, io.StringIO]:
    path = tmp_path / "dx.yaml"
    if path.exists():
        answers = AnswerFile.load(path)
    else:
        answers = AnswerFile.create(path, "mini", "1.0.0", "011002", "札幌市", "北海道", 1973395, dt.date(2026, 11, 27))
    term, out = scripted(lines, width)
    return Interview(QUESTIONNAIRE, answers, lang, term, CATALOGUE), out


def saved(tmp_path: Path) -> dict:
    sheet = load_assessment(tmp_path / "dx.yaml", MINI).sheet
    return {qid: a.model_dump(exclude_defaults=True) for qid, a in sheet.answers.items()}


# -- the session, scripted --------------------------------------------------------------------


def test_a_whole_questionnaire_is_answered_and_saved(tmp_path: Path) -> None:
    interview, out = session(tmp_path, ["3", "2", "6.5", "2", "1"])
    assert interview.run() == "done"
    assert saved(tmp_path) == {
        "leadership.mayor_commitment": {"value": 3},
        "leadership.policy": {"value": False},
        "infrastructure.pc_age": {"value": 6.5},
        "infrastructure.wifi": {"value": "meeting_rooms"},
        "infrastructure.wifi_secured": {"value": True},
    }
    text = out.getvalue()
    assert "設問 1/4" in text and "設問 5/5" in text  # the skip condition adds a question once wifi is known
    assert "保存しました: 設問3（infrastructure.pc_age） = 6.5年" in text  # numbered as on screen


def test_skip_logic_is_applied_as_answers_come_and_going_back_re_evaluates(tmp_path: Path) -> None:
    interview, out = session(tmp_path, ["3", "1", "5", "1"])  # no Wi-Fi: its security is not asked
    assert interview.run() == "done"
    assert "infrastructure.wifi_secured" not in saved(tmp_path)
    interview, out = session(tmp_path, ["3", "1", "b", "b", "", "", "2", "1"])
    assert interview.run(start="infrastructure.wifi") == "done"
    assert saved(tmp_path)["infrastructure.wifi_secured"] == {"value": True}
    interview, out = session(tmp_path, ["1"])  # Wi-Fi removed again: the answer no longer applies
    assert interview.run(start="infrastructure.wifi") == "done"
    assert interview.hidden_answered() == ["infrastructure.wifi_secured"]
    interview.prune_hidden()
    assert "infrastructure.wifi_secured" not in saved(tmp_path)
    assert "対象外となった設問の回答を削除しました" in out.getvalue()


def test_keys_help_note_review_skip_and_invalid_input(tmp_path: Path) -> None:
    lines = ["r", "?", "7", "", "3", "n", "庁議資料（R6）", "r", "x", "はい", "n", "", "n", "-", "s", "q"]
    interview, out = session(tmp_path, lines)
    assert interview.run() == "quit"
    text = out.getvalue()
    assert "メモや要確認の印を付ける回答がまだありません" in text  # r before any answer
    assert "庁議の議事録などが根拠になります。" in text and "S0.1 首長のコミットメント" in text  # help
    assert "0, 1, 2, 3, 4, 5 のいずれかを入力してください" in text
    assert "回答を入力してください（s=スキップ、?=説明）" in text  # Enter with nothing to accept
    assert "「該当なし」を選べません" in text
    assert "メモは変更していません" in text and "メモを削除しました" in text
    answers = saved(tmp_path)
    assert answers["leadership.mayor_commitment"] == {"value": 3, "note": "庁議資料（R6）", "review": True}
    assert answers["leadership.policy"] == {"value": True}
    assert answers["infrastructure.pc_age"] == {"skipped": True}


def test_numbers_take_their_bounds_units_and_full_width_digits(tmp_path: Path) -> None:
    q = QUESTIONNAIRE.question_map()["infrastructure.pc_age"]
    assert parse_answer(QUESTIONNAIRE, q, "6.5", "ja") == (6.5, None)
    assert parse_answer(QUESTIONNAIRE, q, "7", "ja") == (7, None)
    assert parse_answer(QUESTIONNAIRE, q, "21", "en")[1] == "Enter a number from 0 to 20 (years)."
    assert parse_answer(QUESTIONNAIRE, q, "nan", "ja")[0] is None
    interview, out = session(tmp_path, ["", "", "", "", "６．５"])
    assert interview.run(start="infrastructure.pc_age") == "quit"
    assert saved(tmp_path)["infrastructure.pc_age"] == {"value": 6.5}
    assert "単位: 年　範囲: 0〜20" in out.getvalue()


def test_choices_are_numbered_from_one_and_na_where_allowed(tmp_path: Path) -> None:
    wifi = QUESTIONNAIRE.question_map()["infrastructure.wifi"]
    assert parse_answer(QUESTIONNAIRE, wifi, "3", "en") == ("everywhere", None)
    assert parse_answer(QUESTIONNAIRE, wifi, "0", "en")[1] == "Enter one of 1, 2, 3 (? for help)."
    interview, out = session(tmp_path, ["x"])
    assert interview.run(start="infrastructure.wifi") == "quit"  # input ends at the next question
    assert saved(tmp_path)["infrastructure.wifi"] == {"na": True}
    assert "未回答の設問が3問あります。最初の未回答の設問に戻ります。" in out.getvalue()


def test_revisiting_shows_the_current_answer_and_enter_keeps_it(tmp_path: Path) -> None:
    interview, _ = session(tmp_path, ["4", "1", "q"])
    assert interview.run() == "quit"
    interview, out = session(tmp_path, ["b", "", "", "q"], lang="en")
    assert interview.run() == "quit"  # resumes at the first unanswered question
    text = out.getvalue()
    assert text.index("infrastructure.pc_age") < text.index("Current answer: Yes")
    assert "* 1 Yes" in text and "Answer [Enter=1]: " in text
    assert "Question 3 of 4" in text
    assert saved(tmp_path)["leadership.policy"] == {"value": True}


def test_end_of_input_saves_and_quits(tmp_path: Path) -> None:
    interview, _ = session(tmp_path, ["2"])
    assert interview.run() == "quit"
    assert saved(tmp_path) == {"leadership.mayor_commitment": {"value": 2}}


def test_a_resumed_file_goes_from_one_unanswered_question_to_the_next(tmp_path: Path) -> None:
    """After answering the first unanswered question of a resumed file, the next question asked
    is the next unanswered one: it walked through every answered question in between, each to be
    confirmed with Enter."""
    interview, _ = session(tmp_path, ["3", "2", "6.5", "2", "1"])
    assert interview.run() == "done"
    path = tmp_path / "dx.yaml"
    text = path.read_text(encoding="utf-8")
    kept = [ln for ln in text.splitlines() if "mayor_commitment:" not in ln and "pc_age:" not in ln]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    interview, out = session(tmp_path, ["4", "7"], lang="en")
    assert interview.run() == "done"
    transcript = out.getvalue()
    assert "Is the mayor personally involved" in transcript and "average age of staff PCs" in transcript
    assert "DX policy" not in transcript and "Wi-Fi" not in transcript  # answered: not asked again
    assert saved(tmp_path)["leadership.mayor_commitment"]["value"] == 4
    assert saved(tmp_path)["infrastructure.pc_age"]["value"] == 7


def test_a_question_skipped_earlier_is_asked_once_more_after_the_unanswered(tmp_path: Path) -> None:
    """`s` means "answer later": a later session asks the skipped questions again, after the
    unanswered ones (the file still resumes at the first unanswered question); `s` skips again.
    The end says how many are still skipped instead of "all questions are answered"."""
    interview, _ = session(tmp_path, ["3", "s", "6.5", "2"])  # wifi_secured left unanswered
    assert interview.run() == "quit"
    assert saved(tmp_path)["leadership.policy"] == {"skipped": True}
    interview, out = session(tmp_path, ["1", "s"], lang="en")
    assert interview.run() == "done"
    transcript = out.getvalue()
    assert transcript.index("protected by authentication") < transcript.index("skipped earlier")
    assert "DX policy" in transcript.split("skipped earlier", 1)[1]
    assert saved(tmp_path)["leadership.policy"] == {"skipped": True}  # skipped again
    interview.finish(FakeEnd(), offer_report=False)
    assert "1 skipped" in out.getvalue() and "All questions are answered." not in out.getvalue()
    interview, out = session(tmp_path, ["1"], lang="en")
    assert interview.run() == "done"
    assert saved(tmp_path)["leadership.policy"]["value"] is True


class FakeEnd:
    def __init__(self, fail: bool = False) -> None:
        self.fail, self.written = fail, []

    def summary(self, term: Terminal) -> None:
        term.say("SCORE TABLE")

    def write_report(self, fmt: str) -> Path:
        if self.fail:
            raise ImportError("no html renderer")
        self.written.append(fmt)
        return Path("dx." + fmt)


def test_the_end_offers_the_report_and_a_way_back(tmp_path: Path) -> None:
    interview, out = session(tmp_path, ["", "9", "1"], lang="en")  # Enter: consent not now
    end = FakeEnd()
    assert interview.finish(end) == "done"
    assert end.written == ["html"]
    assert "SCORE TABLE" in out.getvalue() and "Report written: dx.html" in out.getvalue()
    interview, out = session(tmp_path, ["", "1", "b"])
    assert interview.finish(FakeEnd(fail=True)) == "back"
    assert "報告書を作成できませんでした: no html renderer" in out.getvalue()


def test_consent_is_asked_once_at_the_end_and_then_only_shown(tmp_path: Path) -> None:
    interview, out = session(tmp_path, ["3", "1", "DX推進課 011-000-0000", ""], lang="ja")
    assert interview.finish(FakeEnd()) == "done"
    assert "団体名と問い合わせ先の掲載に同意しますか" in out.getvalue()
    sheet = load_assessment(tmp_path / "dx.yaml", MINI).sheet
    assert sheet.sharing is not None and sheet.sharing.named and sheet.sharing.contact == "DX推進課 011-000-0000"
    interview, out = session(tmp_path, [""], lang="en")
    assert interview.finish(FakeEnd()) == "done"
    assert "May peers see" not in out.getvalue() and "consented (contact: DX推進課 011-000-0000)" in out.getvalue()


def test_a_personal_contact_is_questioned_before_it_is_saved(tmp_path: Path) -> None:
    """A mobile number typed as the contact was saved and announced as shown to other towns;
    only a later validate warned (DX602). Now the same warning comes at once, and the contact is
    asked again: a department's number replaces it, the same text again keeps it."""
    interview, out = session(tmp_path, ["1", "総務課 090-1234-5678", "総務課 0776-61-0000", ""], lang="ja")
    interview.finish(FakeEnd())
    said = out.getvalue()
    assert said.index("携帯電話の番号（090-1234-5678）") < said.index("保存しました")
    sheet = load_assessment(tmp_path / "dx.yaml", MINI).sheet
    assert sheet.sharing is not None and sheet.sharing.contact == "総務課 0776-61-0000"
    (tmp_path / "dx.yaml").unlink()
    interview, out = session(tmp_path, ["1", "総務課 090-1234-5678", "総務課 090-1234-5678", ""], lang="en")
    interview.finish(FakeEnd())
    sheet = load_assessment(tmp_path / "dx.yaml", MINI).sheet
    assert sheet.sharing is not None and sheet.sharing.contact == "総務課 090-1234-5678"  # kept as given
    assert out.getvalue().count("looks like a mobile phone number") == 1


def test_consent_refused_skipped_or_without_contact(tmp_path: Path) -> None:
    interview, out = session(tmp_path, ["1", "", ""], lang="en")  # yes, then no contact: not saved
    interview.finish(FakeEnd())
    assert "No contact given" in out.getvalue()
    assert load_assessment(tmp_path / "dx.yaml", MINI).sheet.sharing is None
    interview, out = session(tmp_path, ["2", ""], lang="en")  # asked again, and refused
    interview.finish(FakeEnd())
    sheet = load_assessment(tmp_path / "dx.yaml", MINI).sheet
    assert sheet.sharing is not None and sheet.sharing.named is False and sheet.sharing.contact is None
    lines = [line for line in (tmp_path / "dx.yaml").read_text("utf-8").splitlines() if not line.startswith("#")]
    assert lines[0].startswith("questionnaire:") and lines[1] == "sharing: {named: false}"


def test_numbers_are_taken_with_their_unit_and_a_share_for_a_percentage_is_questioned(tmp_path: Path) -> None:
    """`45%`, `４５％`, `4回`, `100 Mbps` were refused ("enter a number 0–100"); 0.45 typed for a
    percentage was saved as 0.45% without a word (a sheet warns DX313). Now the unit is read off,
    and a share is questioned once: 45 replaces it, the same again keeps it."""
    from dxassess.interview import parse_answer
    from dxassess.resolver import RESOLVER

    flagship = RESOLVER.select(None)
    questions = flagship.questionnaire.question_map()
    for qid, raw, value in (
        ("skills.trained_share", "45%", 45),
        ("skills.trained_share", "４５％", 45),
        ("leadership.hq_meetings", "4回", 4),
        ("infrastructure.bandwidth_measured", "100 Mbps", 100),
    ):
        assert parse_answer(flagship.questionnaire, questions[qid], typed.normalised(raw), "ja") == (value, None)
    answers = AnswerFile.create(
        tmp_path / "dx.yaml", "municipal-dx", flagship.questionnaire.version, "011002", "札幌市", "北海道",
        1973395, dt.date(2026, 11, 27),
    )  # fmt: skip
    for typed_in, kept in ((["0.45", "45"], 45), (["0.45", "0.45"], 0.45)):
        term, out = scripted(typed_in)
        interview = Interview(flagship.questionnaire, answers, "ja", term, flagship.catalogue)
        assert interview.ask("skills.trained_share") == "next"
        assert "0.45 は 0.45% として記録されます。45% の意味であれば 45" in out.getvalue()
        assert answers.answer("skills.trained_share")["value"] == kept


def test_on_a_narrow_screen_the_question_stays_in_sight(tmp_path: Path) -> None:
    """At 40 columns a six-level question took 32 lines, and on a 24-row screen the question
    scrolled off the top before the prompt. Below 50 columns the options show their labels only
    (and no progress bar); `?` shows what each level means."""
    interview, out = session(tmp_path, ["?", "3"], width=40)
    assert interview.ask("leadership.mayor_commitment") == "next"
    screen = out.getvalue().split("回答:", 1)[0]
    assert len(screen.splitlines()) <= 20, screen
    assert "首長はDXに自ら関与していますか。" in screen and "3 全庁" in screen and "全庁で取り組む。" not in screen
    assert "（各選択肢の説明は ? で表示します）" in screen
    assert "3 全庁: 全庁で取り組む。" in out.getvalue()  # after ?
    interview, out = session(tmp_path, ["3"], width=80)
    interview.ask("leadership.mayor_commitment")
    assert "全庁で取り組む。" in out.getvalue() and "? で表示します" not in out.getvalue()


def test_a_name_at_the_code_prompt_finds_the_code() -> None:
    """An officer who does not know the code types the name: one match is taken, a few are
    listed with their codes, none or too many say what to do (it only said the code has six digits)."""
    from dxassess.interview import ask_code

    term, out = scripted(["永平寺", "府中", "342084"])
    assert ask_code(term, "ja") == "183229"
    assert ask_code(term, "ja") == "342084"
    said = out.getvalue()
    assert "「府中」を含む名前の団体が3件あります" in said and "132063  府中市（東京都・一般市）" in said
    term, out = scripted(["ｘｙｚ", "川", "えいへいじ"])
    assert ask_code(term, "en") == "183229"
    assert "No municipality's name holds “xyz”" in out.getvalue() and "type more of the name" in out.getvalue()


def test_profile_inputs_are_checked_in_both_languages() -> None:
    assert code_reason("011002", "ja") is None
    assert "検査数字" in code_reason("011003", "ja")
    assert code_reason("011003", "en").startswith("The check digit")
    assert "6桁" in code_reason("1100", "ja")
    assert "not a prefecture number" in code_reason("480001", "en")
    assert "prefecture's code" in code_reason("010006", "en")
    assert parse_population("１，９７３，３９５人") == 1973395
    assert parse_population("0") is None and parse_population("abc") is None


def test_every_text_is_in_both_languages() -> None:
    for key, (en, ja) in INTERVIEW.items():
        assert key.startswith("interview.") and en and ja, key
        assert sorted(re.findall(r"{\w+}", ja)) == sorted(re.findall(r"{\w+}", en)), key


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_screen_fits_80_columns(tmp_path: Path, lang: str) -> None:
    interview, out = session(tmp_path, ["?", "3", "n", "メモ", "r", "1", "7", "?", "2", "b", "", "?", "x"], lang=lang)
    interview.run()
    lines = out.getvalue().splitlines()
    # the note prompt names the question id, which can make it long: the terminal wraps it
    prompts = [max(text("interview.note_prompt", lang, qid="\0").split("\0"), key=len).strip()]
    wide = [line for line in lines if cell_len(line) > 80 and not any(p in line for p in prompts)]
    assert wide == []


# -- the lock -------------------------------------------------------------------------------


def test_a_second_lock_on_the_same_file_is_refused_with_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "dx.yaml"
    with AnswerLock(path):
        with pytest.raises(LockHeld) as held:
            AnswerLock(path).acquire()
        assert held.value.pid == os.getpid()
    with AnswerLock(path):  # released: free again
        pass
    assert not (tmp_path / "dx.yaml.lock").exists() or os.name == "nt"


# -- the real program in a pseudo-terminal ---------------------------------------------------

pexpect = pytest.importorskip("pexpect")


def spawn(tmp_path: Path, *args: str, lang: str = "ja", env_extra: dict | None = None) -> pexpect.spawn:
    env = dict(os.environ, NO_COLOR="1", LANG="C.UTF-8", TERM="xterm", PYTHONDONTWRITEBYTECODE="1")
    env.update(env_extra or {})
    env.pop("DXASSESS_LANG", None)
    argv = ["-m", "dxassess", "run", "--questionnaire", str(MINI), "--lang", lang, *args]
    child = pexpect.spawn(
        sys.executable,
        argv,
        cwd=str(tmp_path),
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=10,
        preexec_fn=_terminal_signals,
    )
    return child


def _terminal_signals() -> None:
    """The interview runs with Ctrl-C as in a terminal, however the tests were started: a shell
    that starts a command in the background (as a CI script may) makes it ignore SIGINT, and
    that is inherited."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


PROFILE = ["--code", "011002", "--municipality", "札幌市", "--population", "1973395"]


def answer(child: pexpect.spawn, *keys: str, prompt: str = "回答") -> None:
    for key in keys:
        child.expect(prompt)
        child.sendline(key)


def waiting_for_input(child: pexpect.spawn) -> None:
    """Until the interview is blocked reading the terminal. A signal that lands while readline is
    still drawing the prompt is handled only at the next key press (readline looks for signals
    when its wait for input is interrupted), so tests that signal at a prompt wait for the wait."""
    wchan = Path(f"/proc/{child.pid}/wchan")
    if not wchan.exists():
        time.sleep(0.5)
        return
    deadline = time.monotonic() + 10
    seen = 0  # a wait seen three times in a row is the wait for a key, not a passing one
    while time.monotonic() < deadline and seen < 3:
        seen = seen + 1 if any(word in wchan.read_text() for word in ("poll", "select")) else 0
        time.sleep(0.02)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus


def test_pty_a_whole_session_in_japanese_from_the_profile_to_the_report(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.expect("団体コード")
    child.sendline("011003")
    child.expect("検査数字")
    child.sendline("０１１００２")
    child.expect("札幌市（北海道・政令指定都市）")  # from the register: no name is asked
    child.expect("人口")
    child.sendline("1973395")
    child.expect("回答ファイルを作成しました: dx-011002-")
    child.expect("設問 1/4")
    child.expect("5 先進 ")
    child.expect("首長が毎月進捗を確認している。")  # the question's own level 5
    answer(child, "?")
    child.expect("庁議の議事録などが根拠になります。")
    answer(child, "3", "n")
    child.expect("設問1（leadership.mayor_commitment）のメモ・根拠")
    child.sendline("庁議資料")
    answer(child, "r", "1", "s", "2", "1")
    child.expect("すべての設問に回答またはスキップしました")  # one skipped: asked again on resume
    child.expect("同規模団体への取組事例の提供")
    child.expect("同意しますか")
    child.sendline("1")
    child.expect("問い合わせ先の課名")
    child.sendline("情報政策課 011-000-0000")
    child.expect("保存しました: 団体名と問い合わせ先")
    child.expect("総合スコア")
    child.expect("報告書を作成しますか")
    child.sendline("2")
    child.expect("報告書を作成しました")
    assert finish(child) == 0
    [answers] = list(tmp_path.glob("dx-011002-*.yaml"))
    assert answers.name == f"dx-011002-{dt.date.today().isoformat()}.yaml"
    assert (tmp_path / (answers.stem + ".md")).exists()
    sheet = load_assessment(answers, MINI).sheet
    assert sheet.answers["leadership.mayor_commitment"].note == "庁議資料"
    assert sheet.answers["leadership.mayor_commitment"].review is True
    assert sheet.answers["infrastructure.pc_age"].skipped is True
    assert sheet.municipality.prefecture == "北海道"
    assert sheet.sharing is not None and sheet.sharing.named and sheet.sharing.contact == "情報政策課 011-000-0000"


def test_pty_an_interview_started_with_only_a_code_fills_the_rest(tmp_path: Path) -> None:
    """`run --code 011002`: name, prefecture and kind come from the register; only the population
    is asked."""
    child = spawn(tmp_path, "--code", "011002", "--answers", "a.yaml", lang="en")
    child.expect("札幌市 \\(北海道, Designated city\\)")
    child.expect("Population: ")
    assert "Name" not in child.before
    child.sendline("1973395")
    child.expect("Created the answer file: a.yaml")
    child.expect("Question 1 of 4")
    answer(child, "q", prompt="Answer")
    assert finish(child) == 0
    m = load_assessment(tmp_path / "a.yaml", MINI).sheet.municipality
    assert (m.code, m.name, m.prefecture, m.population) == ("011002", "札幌市", "北海道", 1973395)


def test_pty_the_registers_population_is_offered_as_the_default(tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text(
        "code,prefecture,name,kana,kind,parent,population\n010006,北海道,北海道,ほっかいどう,prefecture,,\n"
        "011002,北海道,札幌市,さっぽろし,designated_city,,1973395\n",
        encoding="utf-8",
    )
    child = spawn(tmp_path, "--code", "011002", "--answers", "a.yaml", env_extra={"DXASSESS_REGISTER": str(own)})
    child.expect(re.escape("人口（住民基本台帳人口）[Enter=1,973,395]: "))
    child.sendline("")
    child.expect("設問 1/4")
    answer(child, "q")
    assert finish(child) == 0
    assert load_assessment(tmp_path / "a.yaml", MINI).sheet.municipality.population == 1973395


def test_a_typed_code_of_no_municipality_or_of_a_ward_is_asked_again() -> None:
    from dxassess.interview import ask_code, identified, register_reason

    term, out = scripted(["019909", "011011", "014699"])
    assert ask_code(term, "ja") == "014699"
    text = out.getvalue()
    assert "この団体コードの市区町村はありません" in text
    assert "札幌市の行政区のコードです。市の団体コード（011002）を入力してください。" in text
    assert register_reason("011002", "en") is None
    assert identified("014699", "ja") == "美深町（北海道・町）"


def test_a_code_of_no_municipality_is_refused_unless_the_file_is_synthetic(tmp_path: Path) -> None:
    refused = run_piped(tmp_path, "--answers", "new.yaml", "--code", "019909", "--lang", "en")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "--code 019909: No municipality has this code" in refused.stderr
    ward = run_piped(tmp_path, "--code", "011011", "--lang", "en")
    assert ward.returncode == 2 and "ward of 札幌市" in ward.stderr and "011002" in ward.stderr
    assert not list(tmp_path.iterdir())
    made_up = tmp_path / "made-up.yaml"
    text = (CASES / "mini-answers.yaml").read_text(encoding="utf-8").replace('"011002"', '"019909"')
    made_up.write_text(text.replace("answers:\n", "synthetic: true\nanswers:\n", 1), encoding="utf-8")
    done = run_piped(tmp_path, "--answers", "made-up.yaml", "--code", "019909", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Overall score" in done.stdout


def test_pty_english_with_options_asks_nothing_first_and_q_saves(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--answers", "a.yaml", *PROFILE, lang="en")
    child.expect("Question 1 of 4")
    assert ": " not in child.before.split("Created the answer file")[0]  # nothing asked before it
    child.expect("0 Not started ")
    child.expect("Nothing is done.")
    answer(child, "4", "b", prompt="Answer")
    child.expect("Current answer: 4 Measured")
    child.expect(re.escape("Answer [Enter=4]: "))
    child.sendline("")
    answer(child, "q", prompt="Answer")
    child.expect("Answers saved; stopped.")
    child.expect("dxassess run --questionnaire .* --answers a.yaml")
    assert finish(child) == 0
    assert load_assessment(tmp_path / "a.yaml", MINI).sheet.answers["leadership.mayor_commitment"].value == 4


def test_pty_ctrl_c_saves_and_exits_0(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--answers", "a.yaml", *PROFILE)
    answer(child, "2", "2")
    child.expect("設問 3/4")
    child.expect("回答")
    waiting_for_input(child)
    child.sendintr()
    child.expect("中断しました。回答は保存済みです。")
    assert finish(child) == 0
    answers = load_assessment(tmp_path / "a.yaml", MINI).sheet.answers
    assert [a.value for a in answers.values()] == [2, False]


def test_pty_kill_9_loses_nothing_and_the_lock_dies_with_the_process(tmp_path: Path) -> None:
    first = spawn(tmp_path, "--answers", "a.yaml", *PROFILE)
    answer(first, "5", "1")
    first.expect("設問 3/4")
    first.expect("回答")
    second = spawn(tmp_path, "--answers", "a.yaml")
    second.expect("別の dxassess run（プロセス \\d+）で使用中です")
    assert finish(second) == 1
    first.kill(signal.SIGKILL)
    finish(first)
    path = tmp_path / "a.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("answers:\n", "answers:\n  # 首長の確認済み（企画課）\n"), encoding="utf-8")
    third = spawn(tmp_path, "--answers", "a.yaml")
    third.expect("2/4問 回答済み")
    third.expect("設問 3/4")  # resumes at the first unanswered question
    answer(third, "6", "q")
    assert finish(third) == 0
    text = path.read_text(encoding="utf-8")
    assert "  # 首長の確認済み（企画課）\n  leadership.mayor_commitment: {value: 5}" in text
    assert "infrastructure.pc_age: {value: 6}" in text


def test_pty_a_closed_terminal_loses_nothing(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--answers", "a.yaml", *PROFILE)
    answer(child, "1")
    child.expect("設問 2/4")
    child.expect("回答")
    # The window closes: the terminal goes away (reads fail) and the kernel sends SIGHUP. (A bare
    # SIGHUP with the terminal still open can wait for the next key: readline checks for signals
    # only when its wait for input is interrupted, and a signal that lands just before that wait
    # is seen at the next key press.)
    child.ptyproc.fileobj.close()
    deadline = time.monotonic() + 10
    while child.isalive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.isalive(), "the interview did not end when its terminal closed"
    assert child.exitstatus in (0, 129) or child.signalstatus == signal.SIGHUP
    assert load_assessment(tmp_path / "a.yaml", MINI).sheet.answers["leadership.mayor_commitment"].value == 1
    again = spawn(tmp_path, "--answers", "a.yaml")
    again.expect("設問 2/4")
    again.sendline("q")
    assert finish(again) == 0


def run_piped(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "dxassess", "run", "--questionnaire", str(MINI), *args]
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        argv, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20
    )


def test_without_a_terminal_incomplete_answers_are_one_line_exit_1(tmp_path: Path) -> None:
    done = run_piped(tmp_path, "--answers", "new.yaml", *PROFILE, "--lang", "en")
    assert done.returncode == 1 and not (tmp_path / "new.yaml").exists()
    assert done.stderr.count("\n") == 1 and "stdin is not a terminal" in done.stderr
    partial = tmp_path / "partial.yaml"
    partial.write_text((CASES / "mini-answers.yaml").read_text(encoding="utf-8").rsplit("\n  infra", 3)[0] + "\n")
    done = run_piped(tmp_path, "--answers", "partial.yaml", "--lang", "ja")
    assert done.returncode == 1
    assert done.stderr.startswith("partial.yaml: error: DX903 標準入力が端末ではないため")
    assert "未回答 2問" in done.stderr and done.stderr.count("\n") == 1


def test_without_a_terminal_a_complete_file_is_validated_and_scored(tmp_path: Path) -> None:
    done = run_piped(tmp_path, "--answers", str(CASES / "mini-answers.yaml"), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Overall score" in done.stdout and "1.83" in done.stdout
    bad = run_piped(tmp_path, "--answers", str(CASES / "mini-answers.yaml"), "--code", "011003")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_japanese_lines_never_start_with_closing_punctuation() -> None:
    import rich.text

    from dxassess.kinsoku import NO_LINE_START, better_break, use_japanese_line_breaking

    assert better_break("あいう、えお", 3, 0) == 2  # the comma takes the last character with it
    assert better_break("あ「いう", 2, 0) == 1  # an opening bracket goes down with what it opens
    assert better_break("、、、、", 1, 0) == 1  # nothing better: keep the break
    use_japanese_line_breaking()
    use_japanese_line_breaking()  # twice is harmless
    texts = [
        "あ" * 20 + "、いう。" + "え" * 19 + "」です。" + "お" * 19 + "「かぎ」",
        "職員が自ら業務のデジタル化を提案・実装する文化があり、他団体に研修講師を派遣している。",
        "Vendor dependence and procurement（ベンダー依存・調達）、the long English words stay whole.",
    ]
    for width in (16, 31, 32, 40):
        for sample in texts:
            out = io.StringIO()
            Console(file=out, width=width, no_color=True).print(Text(sample))
            lines = out.getvalue().splitlines()
            assert "".join("".join(lines).split()) == "".join(sample.split()), lines  # nothing lost
            assert all(cell_len(line.rstrip()) <= width for line in lines), lines
            assert all(line[0] not in NO_LINE_START for line in lines if line), lines
            assert all(not line.rstrip().endswith("「") for line in lines), lines
    assert getattr(rich.text.divide_line, "_kinsoku", False)


def test_a_number_is_never_cut_at_the_end_of_a_line() -> None:
    """At 60 and 40 columns the summary read 「目標（2.」 / 「71）」 and 「（2」 / 「026年12月）」."""
    import re

    from dxassess.kinsoku import better_break, use_japanese_line_breaking

    assert better_break("目標（2.97）", 5, 0) == 2  # the number goes down whole, with its bracket
    use_japanese_line_breaking()
    sample = (
        "総合スコアは2.53で、一般市（人口5万人以上10万人未満）の目標（2.97）を下回っています。今すぐ着手（2026年12月）"
    )
    numbers = re.findall(r"[0-9][0-9.,]*", sample)
    for width in range(30, 66):
        out = io.StringIO()
        Console(file=out, width=width, no_color=True).print(Text(sample))
        lines = out.getvalue().splitlines()
        assert "".join(lines) == sample
        assert all(cell_len(line) <= width for line in lines), lines
        assert [n for line in lines for n in re.findall(r"[0-9][0-9.,]*", line)] == numbers, (width, lines)


def test_a_part_of_a_team_assessment_is_not_asked_for_consent(tmp_path: Path) -> None:
    interview, out = session(tmp_path, [""], lang="en")
    interview.answers.doc["part"] = {"name": "人事"}
    interview.finish(FakeEnd())
    assert "May peers see" not in out.getvalue() and "Sharing with peers" not in out.getvalue()


@pytest.mark.parametrize("stop", ["eof", "intr"])
def test_pty_stopping_at_the_code_prompt_does_not_say_the_answers_are_saved(tmp_path: Path, stop: str) -> None:
    """Before the code is known there is no answer file, not even its name: it said 「中断しました。
    回答は保存済みです。」 there."""
    child = spawn(tmp_path)
    child.expect("団体コード")
    waiting_for_input(child)
    child.sendeof() if stop == "eof" else child.sendintr()
    child.expect("最初の設問の前に終了しました。回答ファイルは作成していません。")
    output = child.before or ""
    assert finish(child) == 0
    assert "保存済み" not in output and not list(tmp_path.glob("*.yaml"))


@pytest.mark.parametrize("stop", ["eof", "intr"])
def test_pty_stopping_at_the_profile_is_one_line_and_exit_0(tmp_path: Path, stop: str) -> None:
    """Ctrl-D or Ctrl-C at the population prompt, before any answer file exists: a sentence
    saying nothing was written, exit 0 (once a traceback of typer's Abort for Ctrl-D)."""
    child = spawn(tmp_path, "--code", "011002", "--answers", "a.yaml")
    child.expect("人口")
    waiting_for_input(child)
    child.sendeof() if stop == "eof" else child.sendintr()
    child.expect("最初の設問の前に終了しました。回答ファイルは作成していません。")
    output = child.before or ""
    assert finish(child) == 0
    assert "Traceback" not in output and not (tmp_path / "a.yaml").exists()
