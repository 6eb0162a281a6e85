"""Every write to a request goes through here: pages, the admin, management commands and tasks
call these functions, and each checks its own permission, so no caller can skip a guard.

- `drafting`: the request's content, while it is a draft in its author's hands;
- `workflow`: its transitions, signatures and publication;
- `locking`: the row lock and the check under it that both take (finance's services take it too);
- `formversions`: the versions of the form, which governance makes and changes until they are used.

A refused write raises decisions.errors.ActionRefused, with messages that say why and what to do,
and changes nothing.
"""

from decisions.services.drafting import (
    current_template,
    decision_create,
    decision_delete_draft,
    decision_update_public_access,
    decision_update_summary,
    declaration_update,
    paragraph_add,
    paragraph_delete,
    paragraph_update,
    part_two_update,
    recommendation_add,
    recommendation_delete,
    recommendation_update,
    section_no_comments,
    section_replace_text,
    section_text,
)
from decisions.services.formversions import (
    declaration_item_add,
    declaration_item_move,
    declaration_item_remove,
    declaration_item_update,
    form_template_discard,
    form_template_new_version,
    form_template_set_effective_from,
    form_template_update_text,
    template_section_add,
    template_section_move,
    template_section_remove,
    template_section_update,
)
from decisions.services.locking import lock_for_edit, lock_for_transition, touch
from decisions.services.workflow import (
    decision_approve,
    decision_mark_seen,
    decision_publish_if_due,
    decision_reject,
    decision_reschedule_publication,
    decision_return,
    decision_sign_off,
    decision_submit,
    decision_withdraw,
)

__all__ = [
    "current_template",
    "decision_approve",
    "decision_create",
    "decision_delete_draft",
    "decision_mark_seen",
    "decision_publish_if_due",
    "decision_reject",
    "decision_reschedule_publication",
    "decision_return",
    "decision_sign_off",
    "decision_submit",
    "decision_update_public_access",
    "decision_update_summary",
    "decision_withdraw",
    "declaration_item_add",
    "declaration_item_move",
    "declaration_item_remove",
    "declaration_item_update",
    "declaration_update",
    "form_template_discard",
    "form_template_new_version",
    "form_template_set_effective_from",
    "form_template_update_text",
    "lock_for_edit",
    "lock_for_transition",
    "paragraph_add",
    "paragraph_delete",
    "paragraph_update",
    "part_two_update",
    "recommendation_add",
    "recommendation_delete",
    "recommendation_update",
    "section_no_comments",
    "section_replace_text",
    "section_text",
    "template_section_add",
    "template_section_move",
    "template_section_remove",
    "template_section_update",
    "touch",
]
