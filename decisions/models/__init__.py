"""The models of a request, by concern: the form (form), the request and its content (request),
the records the workflow keeps (records), and what people are told (notices)."""

from decisions.models.form import DeclarationItem, FormTemplate, TemplateSection
from decisions.models.notices import Notice, NoticeKind, NoticeState
from decisions.models.records import (
    AppendOnly,
    DecisionVersion,
    ReferenceCounter,
    Signature,
    SignatureKind,
    TransitionLog,
    VersionSeen,
)
from decisions.models.request import (
    Decision,
    DecisionQuerySet,
    Extension,
    OfficerDeclaration,
    Paragraph,
    PartTwo,
    Recommendation,
    extensions,
    register_extension,
    submission_problems,
)

__all__ = [
    "AppendOnly",
    "Decision",
    "DecisionQuerySet",
    "DecisionVersion",
    "DeclarationItem",
    "Extension",
    "FormTemplate",
    "Notice",
    "NoticeKind",
    "NoticeState",
    "OfficerDeclaration",
    "Paragraph",
    "PartTwo",
    "Recommendation",
    "ReferenceCounter",
    "Signature",
    "SignatureKind",
    "TemplateSection",
    "TransitionLog",
    "VersionSeen",
    "extensions",
    "register_extension",
    "submission_problems",
]
