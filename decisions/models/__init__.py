"""The models of a request, by concern: the form (form), the request and its content (request),
the records the workflow keeps (records), and what people are told (notices)."""

from decisions.models.extension import Extension, extensions, register_extension
from decisions.models.form import DeclarationItem, FormChange, FormTemplate, TemplateSection
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
    NO_COMMENTS,
    Decision,
    DecisionQuerySet,
    OfficerDeclaration,
    Paragraph,
    PartTwo,
    Problem,
    Recommendation,
    empty_required_sections,
    missing_section_message,
    submission_issues,
    submission_problems,
)

__all__ = [
    "NO_COMMENTS",
    "AppendOnly",
    "Decision",
    "DecisionQuerySet",
    "DecisionVersion",
    "DeclarationItem",
    "Extension",
    "FormChange",
    "FormTemplate",
    "Notice",
    "NoticeKind",
    "NoticeState",
    "OfficerDeclaration",
    "Paragraph",
    "PartTwo",
    "Problem",
    "Recommendation",
    "ReferenceCounter",
    "Signature",
    "SignatureKind",
    "TemplateSection",
    "TransitionLog",
    "VersionSeen",
    "empty_required_sections",
    "extensions",
    "missing_section_message",
    "register_extension",
    "submission_issues",
    "submission_problems",
]
