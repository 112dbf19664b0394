"""Round-trip editing of answer files: comments and key order survive; every save is atomic."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from dxassess import files
from dxassess.answerfile import AnswerFile
from dxassess.errors import InputError, OutputError
from dxassess.inputs import load_assessment

CASES = Path(__file__).parent / "cases" / "valid"
MINI = CASES / "mini.yaml"
ORDER = [
    "leadership.mayor_commitment",
    "leadership.policy",
    "infrastructure.pc_age",
    "infrastructure.wifi",
    "infrastructure.wifi_secured",
]

HAND_WRITTEN = """\
# 令和8年度 DX診断（総務課 記入）
questionnaire: {id: mini, version: "1.0.0"}
municipality:
  code: "011002"   # 札幌市
  population: 1973395
  name: 札幌市
assessed: 2026-11-27
answers:
  # 首長の関与は庁議資料で確認
  leadership.mayor_commitment: {value: 3, note: 庁議で毎月報告している。}  # 要再確認
  infrastructure.wifi: {value: meeting_rooms}
"""


def new_file(tmp_path: Path) -> AnswerFile:
    return AnswerFile.create(
        tmp_path / "dx.yaml", "mini", "1.0.0", "011002", "札幌市", "北海道", 1973395, dt.date(2026, 11, 27)
    )


def test_created_file_validates_and_has_a_bilingual_header(tmp_path: Path) -> None:
    af = new_file(tmp_path)
    text = af.path.read_text(encoding="utf-8")
    assert text.startswith("# dxassess 回答ファイル / answer file\n")
    assert "dxassess run --answers dx.yaml" in text
    assert 'code: "011002"' in text and 'version: "1.0.0"' in text
    assessment = load_assessment(af.path, MINI)
    assert assessment.sheet.municipality.prefecture == "北海道"
    assert assessment.sheet.assessed == dt.date(2026, 11, 27)
    assert assessment.sheet.answers == {}


def test_the_resume_hint_names_the_questionnaire_given(tmp_path: Path) -> None:
    """A file made with --questionnaire says so in its resume command: without it, a custom
    questionnaire would not be found when the user resumes."""
    af = AnswerFile.create(
        tmp_path / "my answers.yaml", "mini", "1.0.0", "011002", "札幌市", "北海道", 1973395,
        dt.date(2026, 11, 27), questionnaire_ref="forms/mini dx.yaml",
    )  # fmt: skip
    text = af.path.read_text(encoding="utf-8")
    assert 'dxassess run --questionnaire "forms/mini dx.yaml" --answers "my answers.yaml"' in text
    assert load_assessment(af.path, MINI).sheet.municipality.code == "011002"


def test_every_edit_is_on_disk_at_once_and_valid(tmp_path: Path) -> None:
    af = new_file(tmp_path)
    af.set_value("leadership.policy", False, ORDER)
    assert "leadership.policy: {value: false}" in af.path.read_text(encoding="utf-8")
    af.set_value("infrastructure.pc_age", 6.5, ORDER)
    af.set_na("infrastructure.wifi", ORDER)
    af.set_skipped("leadership.mayor_commitment", ORDER)
    af.set_note("infrastructure.pc_age", '資産台帳より算出（"R6" #1）')
    af.set_review("infrastructure.pc_age", True)
    sheet = load_assessment(af.path, MINI).sheet
    assert list(sheet.answers) == ORDER[:4]  # inserted in questionnaire order
    assert sheet.answers["leadership.policy"].value is False
    assert sheet.answers["infrastructure.pc_age"].note == '資産台帳より算出（"R6" #1）'
    assert sheet.answers["infrastructure.pc_age"].review is True
    assert sheet.answers["infrastructure.wifi"].na is True
    assert sheet.answers["leadership.mayor_commitment"].skipped is True


def test_text_the_interview_writes_reads_the_same_in_every_yaml_reader(tmp_path: Path) -> None:
    """Notes such as `10:30` or `No` were written bare: libyaml-based readers refuse `10:30` in a
    flow mapping and YAML 1.1 readers take `No` for false. Written as answer_text writes text (in
    double quotes), every reader gets the string typed."""
    from ruamel.yaml import YAML

    af = new_file(tmp_path)
    af.set_value("infrastructure.wifi", "meeting_rooms", ORDER)
    af.set_note("infrastructure.wifi", "10:30")
    af.set_value("leadership.policy", True, ORDER)
    af.set_note("leadership.policy", "No")
    af.set_sharing(True, "情報政策課 011-000-0000")
    text = af.path.read_text(encoding="utf-8")
    assert 'note: "10:30"' in text and 'note: "No"' in text and 'value: "meeting_rooms"' in text
    safe = YAML(typ="safe")
    assert safe.Parser.__name__ == "CParser"  # the C parser, as other tools read files
    data = safe.load(text)
    assert data["answers"]["infrastructure.wifi"] == {"value": "meeting_rooms", "note": "10:30"}
    assert data["answers"]["leadership.policy"] == {"value": True, "note": "No"}
    assert load_assessment(af.path, MINI).sheet.answers["leadership.policy"].note == "No"


def test_changing_the_state_keeps_note_and_review(tmp_path: Path) -> None:
    af = new_file(tmp_path)
    af.set_value("infrastructure.wifi", "none", ORDER)
    af.set_note("infrastructure.wifi", "一部のみ")
    af.set_review("infrastructure.wifi", True)
    af.set_skipped("infrastructure.wifi", ORDER)
    af.set_value("infrastructure.wifi", "everywhere", ORDER)
    assert af.answer("infrastructure.wifi") == {"value": "everywhere", "note": "一部のみ", "review": True}
    af.set_note("infrastructure.wifi", None)
    af.set_review("infrastructure.wifi", False)
    assert af.answer("infrastructure.wifi") == {"value": "everywhere"}
    af.clear("infrastructure.wifi")
    assert af.answer("infrastructure.wifi") is None
    assert not af.is_answered("infrastructure.wifi")


def test_comments_and_key_order_survive_edits(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    af = AnswerFile.load(path)
    af.set_value("leadership.mayor_commitment", 4, ORDER)  # an existing answer
    af.set_value("leadership.policy", True, ORDER)  # a new one, between two existing
    af.set_value("infrastructure.pc_age", 5, ORDER)
    af.set_review("infrastructure.wifi", True)
    text = path.read_text(encoding="utf-8")
    for comment in ("# 令和8年度 DX診断（総務課 記入）", "# 札幌市", "# 首長の関与は庁議資料で確認", "# 要再確認"):
        assert comment in text
    assert text.index("code:") < text.index("population:") < text.index("name:")  # the user's order
    assert "leadership.mayor_commitment: {value: 4, note: 庁議で毎月報告している。}  # 要再確認" in text
    assert list(load_assessment(path, MINI).sheet.answers) == ORDER[:4]
    # a second load and save without change gives the same bytes
    before = path.read_bytes()
    AnswerFile.load(path).save()
    assert path.read_bytes() == before


def test_values_are_plain_python(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    values = AnswerFile.load(path).values()
    assert values == {"leadership.mayor_commitment": 3, "infrastructure.wifi": "meeting_rooms"}
    assert type(values["leadership.mayor_commitment"]) is int
    assert type(values["infrastructure.wifi"]) is str


def test_empty_answers_grow_in_block_style(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(HAND_WRITTEN.split("answers:")[0] + "answers: {}\n", encoding="utf-8")
    af = AnswerFile.load(path)
    af.set_value("leadership.policy", True, ORDER)
    assert "answers:\n  leadership.policy: {value: true}\n" in path.read_text(encoding="utf-8")
    path.write_text(HAND_WRITTEN.split("answers:")[0] + "answers:\n", encoding="utf-8")
    AnswerFile.load(path).set_value("leadership.policy", False, ORDER)
    assert "leadership.policy: {value: false}" in path.read_text(encoding="utf-8")


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        AnswerFile.load(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: [1, 2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable answer file"):
        AnswerFile.load(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("answers: [1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a mapping"):
        AnswerFile.load(listed)


def test_a_failed_save_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    af = new_file(tmp_path)
    af.set_value("leadership.policy", True, ORDER)
    before = af.path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OutputError):
        af.set_value("leadership.policy", False, ORDER)
    monkeypatch.undo()
    assert af.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["dx.yaml"]  # no temporary file left behind


@pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX")
def test_saving_keeps_the_file_mode(tmp_path: Path) -> None:
    af = new_file(tmp_path)
    os.chmod(af.path, 0o600)
    af.set_value("leadership.policy", True, ORDER)
    assert af.path.stat().st_mode & 0o777 == 0o600
