"""The file models: questionnaire, manual catalogue and answer file.

The names are loaded when first used (PEP 562): `dxassess.model.size` and the modules that need
only it start without building the pydantic models (about a tenth of a second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dxassess.lazy import names

if TYPE_CHECKING:
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
    from dxassess.model.catalogue import (
        Action,
        Catalogue,
        Document,
        Figure,
        ManualSection,
        OtherEdition,
        Scheme,
    )
    from dxassess.model.kinds import KINDS
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
    from dxassess.model.size import (
        Band,
        Tier,
    )

# Where each name lives.
_WHERE = {
    "KINDS": "kinds",
    "Action": "catalogue",
    "Answer": "answers",
    "AnswerSheet": "answers",
    "Band": "size",
    "Catalogue": "catalogue",
    "ChoiceOption": "questionnaire",
    "ChoiceQuestion": "questionnaire",
    "Deadline": "questionnaire",
    "Document": "catalogue",
    "Domain": "questionnaire",
    "Evidence": "answers",
    "Figure": "catalogue",
    "ManualSection": "catalogue",
    "Migrated": "answers",
    "Migration": "questionnaire",
    "Municipality": "answers",
    "NumericQuestion": "questionnaire",
    "OtherEdition": "catalogue",
    "Owner": "questionnaire",
    "Part": "answers",
    "QuestionBase": "questionnaire",
    "QuestionMove": "questionnaire",
    "Questionnaire": "questionnaire",
    "QuestionnaireRef": "answers",
    "Scale": "questionnaire",
    "ScaleLevel": "questionnaire",
    "ScaleQuestion": "questionnaire",
    "Scheme": "catalogue",
    "Sharing": "answers",
    "Step": "questionnaire",
    "Targets": "questionnaire",
    "Tier": "size",
    "YesNoQuestion": "questionnaire",
}


__getattr__ = names(__name__, _WHERE)

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
