"""The file models: questionnaire, manual catalogue and answer file."""

from dxassess.model.answers import (
    Answer,
    AnswerSheet,
    Evidence,
    Migrated,
    Municipality,
    Part,
    QuestionnaireRef,
    Sharing,
)
from dxassess.model.catalogue import Action, Catalogue, Document, Figure, ManualSection, OtherEdition, Scheme
from dxassess.model.questionnaire import (
    ChoiceOption,
    ChoiceQuestion,
    Deadline,
    Domain,
    Migration,
    NumericQuestion,
    Owner,
    QuestionBase,
    QuestionMove,
    Questionnaire,
    Scale,
    ScaleLevel,
    ScaleQuestion,
    Step,
    Targets,
    YesNoQuestion,
)
from dxassess.model.size import Band, Tier

# The three file kinds and their top-level models.
KINDS: dict[str, type[Questionnaire] | type[AnswerSheet] | type[Catalogue]] = {
    "questionnaire": Questionnaire,
    "answers": AnswerSheet,
    "catalogue": Catalogue,
}

__all__ = [
    "KINDS",
    "Action",
    "Answer",
    "AnswerSheet",
    "Band",
    "Catalogue",
    "ChoiceOption",
    "ChoiceQuestion",
    "Deadline",
    "Document",
    "Domain",
    "Evidence",
    "Figure",
    "ManualSection",
    "Migrated",
    "Migration",
    "Municipality",
    "NumericQuestion",
    "OtherEdition",
    "Owner",
    "Part",
    "QuestionBase",
    "Questionnaire",
    "QuestionMove",
    "QuestionnaireRef",
    "Scale",
    "ScaleLevel",
    "ScaleQuestion",
    "Scheme",
    "Sharing",
    "Step",
    "Targets",
    "Tier",
    "YesNoQuestion",
]
