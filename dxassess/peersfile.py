"""peers.json: the consenting municipalities of a batch, safe to hand out (written by `batch`,
read by `report --peers`), and the "who to ask" report data made from it.

Only municipalities with `sharing: {named: true, contact}` are ever in it: their per-question
levels, the questions where they reached their target, their public notes and their contact.
The shape is `dxassess.model.peers.PeersDoc` (JSON Schema in docs/peers-format.md), loaded only
to read a file: writing one needs no pydantic model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dxassess.sharing import Named, PeerIndex

FORMAT = "dxassess-peers"
VERSION = 1
MAX_BYTES = 50_000_000  # every municipality of Japan with long notes fits in a fraction of this


def peers_json(named: list[Named]) -> bytes:
    """The bytes of peers.json for `named` (sorted by code, so the same batch gives the same file)."""
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "municipalities": [n.as_dict() for n in sorted(named, key=lambda n: n.code)],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def load_peers(path: Path) -> list[Named]:
    """The consenting municipalities of a peers.json; an InputError (one line: the file and the
    fix) when it cannot be read or is not one."""
    from pydantic import ValidationError

    from dxassess.errors import InputError
    from dxassess.files import SpecialFile, TooLarge, read_input
    from dxassess.model.answers import MAX_NOTE
    from dxassess.model.peers import PeersDoc, too_long_note
    from dxassess.text import msg
    from dxassess.text.problems import os_reason

    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a folder")
        raw = read_input(path, MAX_BYTES)
    except SpecialFile:
        raise InputError(msg("read.special_file"), str(path), code="DX604") from None
    except TooLarge:
        raise InputError(msg("peers.unreadable", reason="> 50 MB"), str(path), code="DX604") from None
    except OSError as exc:
        raise InputError(msg("peers.unreadable", reason=os_reason(exc)), str(path), code="DX604") from None
    try:
        value: Any = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(msg("peers.not_json", reason=reason), str(path), code="DX604") from None
    try:
        doc = PeersDoc.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "-"
        raise InputError(msg("peers.invalid", where=where, reason=first["msg"]), str(path), code="DX604") from None
    too_long = too_long_note(doc)
    if too_long:
        reason = f"longer than {MAX_NOTE} characters"
        raise InputError(msg("peers.invalid", where=too_long, reason=reason), str(path), code="DX604")
    return [Named.from_dict(m.model_dump(mode="json")) for m in doc.municipalities]


def ask_items(
    code: str, band: str, population: int, gaps: list[tuple[str, float]], named: list[Named] | PeerIndex, lang: str
) -> list[dict[str, Any]]:
    """Who to ask (dxassess.sharing.who_to_ask) about each (question id, target) of `gaps`, as
    report data: each ask with the label of the band its peers are of, and the sentence that
    introduces them (saying so when they are of the nearest larger band)."""
    from dxassess.sharing import who_to_ask
    from dxassess.text import text

    own = text(f"report.band_{band}", lang)
    out = []
    for ask in who_to_ask(code, band, population, gaps, named):
        item = ask.as_dict()
        found = text(f"report.band_{ask.band}", lang)
        item["band_label"] = found
        if ask.fallback:
            item["intro"] = text("report.ask_fallback", lang, band=own, larger=found)
        else:
            item["intro"] = text("report.ask_intro", lang, band=own)
        out.append(item)
    return out


def asks_data(result: Any, named: list[Named], lang: str, card_count: int, source: str | None) -> dict[str, Any]:
    """The report data key `peers`: {"source", "asks": [...]}, for the top `card_count` gaps
    and the first page's actions (as batch reports show them)."""
    m = result.municipality
    cards = list(result.gaps[:card_count])
    by_id = {g.question_id: g for g in result.gaps}
    asking = cards + [by_id[q] for q in result.first if q in by_id and by_id[q] not in cards]
    gaps = [(g.question_id, g.target) for g in asking]
    return {"source": source, "asks": ask_items(m.code, result.band.value, m.population, gaps, named, lang)}
