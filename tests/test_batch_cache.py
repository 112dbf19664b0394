"""`batch` into a folder an earlier run wrote: only what changed is scored again, and the output is
byte for byte a fresh run's; a damaged, foreign or malformed cache is ignored; `--fresh` ignores
it on purpose."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from dxassess.batch import cache as cachemod
from dxassess.batch.run import ENTRY_FIELDS

from .conftest import MINI, assert_clean_error, run_cli

KEPT = re.compile(r"\((\d+) unchanged since the last run into this folder\)")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    proc = run_cli("sample", "--count", "30", "--seed", "11", "-o", str(folder), "-q", str(MINI))
    assert proc.returncode == 0, proc.stderr
    return folder


def _batch(inputs: Path, out: Path, *args: str) -> str:
    proc = run_cli("batch", str(inputs), "-o", str(out), "-q", str(MINI), "--lang", "en", "-j", "2", *args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr


def _kept(stderr: str) -> int:
    found = KEPT.search(stderr)
    return int(found.group(1)) if found else 0


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _copy(samples: Path, folder: Path) -> Path:
    shutil.copytree(samples, folder)
    return folder


def _raise(path: Path, level: int) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(leadership\.mayor_commitment: \{value: )\d", rf"\g<1>{level}", text)
    assert changed != text or f"mayor_commitment: {{value: {level}" in text
    path.write_text(changed, encoding="utf-8")


def test_one_changed_file_gives_the_bytes_of_a_fresh_run(samples: Path, tmp_path: Path) -> None:
    inputs = _copy(samples, tmp_path / "in")
    out = tmp_path / "out"
    _batch(inputs, out)
    assert (out / cachemod.NAME).is_file()
    again = _batch(inputs, out)
    assert _kept(again) == 30  # nothing changed: everything kept

    changed = sorted(inputs.glob("*.yaml"))[7]
    text = changed.read_text(encoding="utf-8")
    _raise(changed, 5 if "mayor_commitment: {value: 5" not in text else 0)
    rerun = _batch(inputs, out)
    assert _kept(rerun) == 29  # one scored again (others may have new peer sections)
    fresh = tmp_path / "fresh"
    _batch(inputs, fresh)
    assert _files(out) == _files(fresh)  # every report, summary and the cache itself


def test_removed_and_added_inputs_and_a_deleted_report(samples: Path, tmp_path: Path) -> None:
    inputs = _copy(samples, tmp_path / "in")
    out = tmp_path / "out"
    _batch(inputs, out)
    gone = sorted(inputs.glob("*.yaml"))[3]
    kept_aside = tmp_path / gone.name
    gone.rename(kept_aside)
    (out / "reports" / f"{sorted(inputs.glob('*.yaml'))[0].stem}.html").unlink()
    _batch(inputs, out)
    fresh = tmp_path / "fresh"
    _batch(inputs, fresh)
    ours, theirs = _files(out), _files(fresh)
    ours.pop(f"reports/{gone.stem}.html", None)  # a report of a removed input stays (not this cache's job)
    assert ours == theirs
    kept_aside.rename(gone)
    _batch(inputs, out)
    again = tmp_path / "fresh2"
    _batch(inputs, again)
    assert _files(out) == _files(again)


@pytest.mark.parametrize("damage", ["flip", "cut", "empty", "garbage", "foreign"])
def test_a_damaged_or_foreign_cache_is_ignored(samples: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    _batch(samples, out)
    fresh = _files(out)
    path = out / cachemod.NAME
    raw = path.read_bytes()
    if damage == "flip":
        middle = len(raw) // 2
        path.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0x20]) + raw[middle + 1 :])
    elif damage == "cut":
        path.write_bytes(raw[: len(raw) // 3])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff" * 1000)
    else:  # made by another setting (here: another budget cut-off) and copied over
        other = tmp_path / "other"
        _batch(samples, other, "--budget-cutoff", "6")
        shutil.copy(other / cachemod.NAME, path)
    stderr = _batch(samples, out)
    assert _kept(stderr) == 0  # nothing taken from it
    assert _files(out) == fresh


def test_an_entry_of_the_wrong_shape_is_scored_again(samples: Path, tmp_path: Path) -> None:
    """A cache whose checksum holds but whose entry does not have the expected shape (a hand
    edit, a forged file): that entry is not trusted, the input is scored again."""
    out = tmp_path / "out"
    _batch(samples, out)
    fresh = _files(out)
    path = out / cachemod.NAME
    head, _, body = path.read_bytes().partition(b"\n")
    lines = body.split(b"\n")
    entry = next(i for i, line in enumerate(lines) if line.startswith(b"E\t"))
    kind, key, payload = lines[entry].split(b"\t", 2)
    data, fragment = payload.split(b"\t")
    lines[entry] = b"\t".join([kind, key, data.replace(b"[", b'["oops",', 1), fragment])
    body = b"\n".join(lines)
    parts = head.split(b" ")
    parts[-1] = cachemod.checksum(body)
    path.write_bytes(b" ".join(parts) + b"\n" + body)
    stderr = _batch(samples, out)
    assert _kept(stderr) == 29
    assert _files(out) == fresh


def test_fresh_ignores_the_cache_on_purpose(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(samples, out)
    before = _files(out)
    stderr = _batch(samples, out, "--fresh")
    assert _kept(stderr) == 0 and "30 scored" in stderr
    assert _files(out) == before


def test_a_changed_questionnaire_scores_everything_again(samples: Path, tmp_path: Path) -> None:
    """The cache holds a result only with the questionnaire files it was scored with: edit the
    questionnaire and every input is scored again."""
    folder = tmp_path / "q"
    folder.mkdir()
    for name in ("mini.yaml", "mini-catalogue.yaml"):
        shutil.copy(MINI.parent / name, folder / name)
    out = tmp_path / "out"
    proc = run_cli("batch", str(samples), "-o", str(out), "-q", str(folder / "mini.yaml"), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    text = (folder / "mini.yaml").read_text(encoding="utf-8")
    (folder / "mini.yaml").write_text(text + "\n# edited\n", encoding="utf-8")
    proc = run_cli("batch", str(samples), "-o", str(out), "-q", str(folder / "mini.yaml"), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert _kept(proc.stderr) == 0


def test_the_cache_is_data_only(samples: Path, tmp_path: Path) -> None:
    """JSON lines after a header with format, run key, summaries' hashes and checksum: no pickle,
    no code."""
    out = tmp_path / "out"
    _batch(samples, out)
    raw = (out / cachemod.NAME).read_bytes()
    head, _, body = raw.partition(b"\n")
    magic, version, key, summaries, check = head.split(b" ")
    assert magic == cachemod.MAGIC and version == str(cachemod.FORMAT).encode()
    assert check == cachemod.checksum(body)
    assert all(line[:2] in (b"E\t", b"Q\t", b"D\t") for line in body.split(b"\n") if line)
    assert b"\x80\x04" not in raw  # not a pickle


def test_each_line_the_workers_began_reads_back_to_the_same_bytes(samples: Path, tmp_path: Path) -> None:
    """A worker writes the start of an input's cache line and the main process closes it
    (`encode_head`, then `encode`): every line equals the one `encode` makes of the entry read
    back, so a kept entry is written as a fresh one is."""
    out = tmp_path / "out"
    _batch(samples, out)
    key = (out / cachemod.NAME).read_bytes().split(b" ", 3)[2].decode()
    cache = cachemod.Cache.load(out, key)
    assert cache is not None and len(cache.lines) >= 3
    for name, line in list(cache.lines.items()):
        entry = cache.entry(name)
        assert entry is not None
        assert cachemod.encode(entry) == line
        head = cachemod.encode_head(entry["row"], entry["slot"])
        assert cachemod.encode(entry, head) == line
        # the run's own row (its entry's fields beside the summary row's) gives the same line
        row = {**entry["row"], **{k: entry[k] for k in ENTRY_FIELDS}, "index": 0, "key": name, "kept": True}
        assert cachemod.line_of(row) == line
        assert cachemod.line_of({**row, "head": head}) == line


def test_an_unwritable_cache_is_no_error(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / cachemod.NAME).mkdir(parents=True)  # a folder where the cache file would go
    proc = run_cli("batch", str(samples), "-o", str(out), "-q", str(MINI), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert (out / "summary.csv").is_file()


def test_previous_is_part_of_what_a_kept_report_depends_on(samples: Path, tmp_path: Path) -> None:
    """A report kept from the last run is rendered again when --previous changes its
    year-on-year section."""
    old = tmp_path / "old"
    _batch(samples, old)
    inputs = _copy(samples, tmp_path / "in")
    out = tmp_path / "out"
    _batch(inputs, out)
    stderr = _batch(inputs, out, "--previous", str(old))
    assert _kept(stderr) == 0
    fresh = tmp_path / "fresh"
    _batch(inputs, fresh, "--previous", str(old))
    assert _files(out) == _files(fresh)


def test_bad_previous_is_a_one_line_error(samples: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_cli("batch", str(samples), "-o", str(tmp_path / "out"), "-q", str(MINI), "--previous", str(empty))
    assert_clean_error(proc)
    assert "DX009" in proc.stderr and "summary.json" in proc.stderr
    (empty / "summary.json").write_text('{"municipalities": [{"no": 1}]}', encoding="utf-8")
    proc = run_cli("batch", str(samples), "-o", str(tmp_path / "out"), "-q", str(MINI), "--previous", str(empty))
    assert_clean_error(proc)
    assert "DX315" in proc.stderr


def test_sheet_rows_are_kept_by_their_content(tmp_path: Path) -> None:
    """A sheet is read again on every run; each row's result is kept by the row's content."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "code,name,prefecture,population,assessed,leadership.policy,leadership.mayor_commitment\n"
        "011002,札幌市,北海道,1973395,2026-11-27,yes,3\n"
        "012025,函館市,北海道,240000,2026-11-27,no,2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    first = _batch(sheet, out)
    assert "2 scored" in first and _kept(first) == 0
    assert _kept(_batch(sheet, out)) == 2
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(",no,2", ",no,4"), encoding="utf-8")
    assert _kept(_batch(sheet, out)) == 1
    fresh = tmp_path / "fresh"
    _batch(sheet, fresh)
    assert _files(out) == _files(fresh)


def test_the_run_key_names_the_installed_library_versions() -> None:
    """The versions in the run key, read from the installed dist-info folders' names, are the
    ones importlib.metadata gives (a library upgraded between two runs changes the key)."""
    from importlib import metadata

    expected = ";".join(f"{name}={metadata.version(name)}" for name in cachemod._LIBRARIES)
    assert cachemod._versions() == expected


def test_answer_files_are_in_the_order_of_sorted_paths(tmp_path: Path) -> None:
    """Folders are walked in the order sorting the paths gives (part by part: "a/…" before
    "a-b/…", though "-" sorts before "/"): the order of the inputs, the summaries' rows."""
    from dxassess.batch.run import expand

    names = ["a/x.yaml", "a-b/x.yaml", "a.b/y.yml", "a/b/z.YAML", "ab.yaml", "a b/x.yaml", "A/x.yaml"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    files, bad = expand([tmp_path])
    assert not bad and files == sorted(tmp_path / name for name in names)
    assert files.index(tmp_path / "a/x.yaml") < files.index(tmp_path / "a-b/x.yaml")


def test_a_result_warned_about_a_date_in_the_future_is_checked_again(samples: Path, tmp_path: Path):
    """ "In the future" (DX314) depends on the day of the run, which is not in the cache key: such
    a result is scored again on every run, so a re-run the day after the date has come says what
    a fresh run says. The others are kept."""
    inputs = tmp_path / "in"
    shutil.copytree(samples, inputs)
    first = sorted(inputs.glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"(?m)^assessed: .*$", 'assessed: "2099-04-01"', text, count=1), encoding="utf-8")
    out = tmp_path / "out"
    assert "DX314" in _batch(inputs, out)
    again = _batch(inputs, out)
    assert "DX314" in again and _kept(again) == len(list(inputs.glob("*.yaml"))) - 1


def _store_entries(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("_jinja2-cache-*/dxassess-questionnaire-*.json"))


def _outputs(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in _files(folder).items() if k != cachemod.NAME}


@pytest.mark.skipif(sys.platform == "win32", reason="the per-user folder is Unix's")
def test_a_checked_questionnaire_is_kept_for_the_next_run_and_a_damaged_entry_is_not_trusted(
    samples: Path, tmp_path: Path
) -> None:
    """The questionnaire a batch checked is kept beside the compiled templates, and the next run
    into another folder takes it from there: the same bytes. A damaged entry (cut, other bytes,
    another shape) is read from the YAML again and kept anew."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp)}

    def batch(name: str, *args: str) -> dict[str, bytes]:
        out = tmp_path / name
        proc = run_cli("batch", str(samples), "-o", str(out), "-q", str(MINI), "--lang", "en", *args, env=env)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        return _outputs(out)

    first = batch("1")
    [entry] = _store_entries(tmp)
    good = entry.read_bytes()
    assert batch("2") == first
    check, _, payload = good.partition(b"\n")
    damages = (good[: len(good) // 2], check + b"\n" + payload.replace(b"Leadership", b"Leaderships"), b"x")
    for n, damaged in enumerate(damages):
        entry.write_bytes(damaged)
        assert batch(f"3-{n}") == first
        assert entry.read_bytes() == good  # checked from the YAML and kept again
    wrong_shape = json.dumps({"files": [], "questionnaire": 1}).encode()
    entry.write_bytes(cachemod.digest(wrong_shape).encode() + b"\n" + wrong_shape)
    assert batch("4") == first
    assert entry.read_bytes() == good


@pytest.mark.skipif(sys.platform == "win32", reason="the per-user folder is Unix's")
def test_an_edited_questionnaire_is_checked_again_and_fresh_takes_nothing_kept(samples: Path, tmp_path: Path) -> None:
    """An entry is for one questionnaire file's content: after an edit the questionnaire is
    read from its YAML again. `--fresh` takes nothing kept, not even a questionnaire whose
    entry (here made to say another title) matches its files."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp)}
    folder = tmp_path / "q"
    folder.mkdir()
    for path in MINI.parent.glob("mini*.yaml"):
        shutil.copy(path, folder / path.name)
    questionnaire = folder / MINI.name

    def index(name: str, *args: str) -> str:
        out = tmp_path / name
        proc = run_cli("batch", str(samples), "-o", str(out), "-q", str(folder), "--lang", "en", *args, env=env)
        assert proc.returncode == 0, proc.stderr
        return (out / "index.html").read_text(encoding="utf-8")

    assert "Leadership" in index("1")
    questionnaire.write_text(
        questionnaire.read_text(encoding="utf-8").replace("en: Leadership}", "en: Mayor and managers}"),
        encoding="utf-8",
    )
    assert "Mayor and managers" in index("2")
    assert len(_store_entries(tmp)) == 2
    # an entry matching the files, but saying another title: taken, except with --fresh
    newest = max(_store_entries(tmp), key=lambda p: p.stat().st_mtime_ns)
    payload = newest.read_bytes().partition(b"\n")[2].replace(b"Mayor and managers", b"Kept title")
    newest.write_bytes(cachemod.digest(payload).encode() + b"\n" + payload)
    assert "Kept title" in index("3")
    shown = index("4", "--fresh")
    assert "Mayor and managers" in shown and "Kept title" not in shown


def test_the_store_keeps_the_newest_entries_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries of other questionnaires and of earlier versions of the program do not pile up:
    the newest STORE_KEPT are kept; an entry reads back as it was written."""
    import os

    from dxassess.batch import resolving

    monkeypatch.setattr(resolving, "_store_path", lambda code, q: str(tmp_path / f"dxassess-questionnaire-{q}.json"))
    entry = {"files": [["/q.yaml", "ab"]], "questionnaire": "{}", "catalogue": None}
    for n in range(resolving.STORE_KEPT + 3):
        resolving.store("code", f"q{n:02d}", entry)
        os.utime(tmp_path / f"dxassess-questionnaire-q{n:02d}.json", ns=(n * 10**9, n * 10**9))
    resolving.store("code", "q99", entry)  # the newest, and the one that prunes
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == resolving.STORE_KEPT and "dxassess-questionnaire-q99.json" in kept
    assert "dxassess-questionnaire-q00.json" not in kept and "dxassess-questionnaire-q10.json" in kept
    assert resolving.stored_entry("code", "q99") == entry
    assert resolving.stored_entry("code", "missing") is None


def test_the_cache_file_is_read_line_by_line_as_written(tmp_path: Path) -> None:
    """Reading the cache cuts each line out of the file as read: a file written by `payload`
    reads back the same; blank lines are nothing; a line without its three fields, a header
    without its body's checksum, or no header at all and the whole file is not trusted."""

    def rewrite(body: bytes) -> bytes:  # the same header, with the checksum of `body`
        parts = head.split(b" ")
        parts[-1] = cachemod.checksum(body)
        return b" ".join(parts) + b"\n" + body

    cache = cachemod.Cache("run", summaries="s", texts={"qh": {"titles": {"a": "A"}, "questions": {"a.x": "X"}}})
    cache.lines = {"k1": b'["line one"]\t{"a":1', "k2": b'["line\\ttwo"]\t{"b":2'}
    written = cache.payload()
    head, _, body = written.partition(b"\n")
    path = tmp_path / cachemod.NAME

    def read(raw: bytes) -> cachemod.Cache | None:
        path.write_bytes(raw)
        return cachemod.Cache.load(tmp_path, "run")

    back = read(written)
    assert back is not None and back.lines == cache.lines and back.texts == cache.texts and back.summaries == "s"
    spaced = read(rewrite(body.replace(b"\n", b"\n\n")))
    assert spaced is not None and spaced.lines == cache.lines
    assert read(rewrite(body + b"\nE\tk3")) is None  # two fields
    assert read(rewrite(body + b"\nX\tk3\t{}")) is None  # a kind of line it does not know
    assert read(body) is None and read(head) is None and read(b"") is None
    assert read(head + b"\n" + body[:-1]) is None  # the body cut: its checksum no longer holds
