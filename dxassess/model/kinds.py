"""The three file kinds and their top-level models."""

from __future__ import annotations

from dxassess.model.answers import AnswerSheet
from dxassess.model.catalogue import Catalogue
from dxassess.model.questionnaire import Questionnaire

KINDS: dict[str, type[Questionnaire] | type[AnswerSheet] | type[Catalogue]] = {
    "questionnaire": Questionnaire,
    "answers": AnswerSheet,
    "catalogue": Catalogue,
}
