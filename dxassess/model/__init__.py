"""The file models: questionnaire, manual catalogue and answer file."""

from dxassess.model.answers import Answer, AnswerSheet, Municipality, QuestionnaireRef
from dxassess.model.catalogue import Catalogue, ManualSection
from dxassess.model.questionnaire import (
    ChoiceOption,
    ChoiceQuestion,
    Domain,
    NumericQuestion,
    QuestionBase,
    Questionnaire,
    Scale,
    ScaleLevel,
    ScaleQuestion,
    Targets,
    Tier,
    YesNoQuestion,
)

__all__ = [
    "Answer",
    "AnswerSheet",
    "Catalogue",
    "ChoiceOption",
    "ChoiceQuestion",
    "Domain",
    "ManualSection",
    "Municipality",
    "NumericQuestion",
    "QuestionBase",
    "Questionnaire",
    "QuestionnaireRef",
    "Scale",
    "ScaleLevel",
    "ScaleQuestion",
    "Targets",
    "Tier",
    "YesNoQuestion",
]
