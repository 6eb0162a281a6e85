from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import PASSKEY_NAME_MAX
from decisions.forms import GovukForm
from decisions.roles import Role

# The code box's label and its empty-answer message, by what the person has to give a code from:
# someone with no authenticator app is asked only for a backup code.
CODE_WORDING = {
    "setting_up": (
        "Code from your authenticator app",
        "Enter the code from your authenticator app",
    ),
    "authenticator": (
        "Code from your authenticator app or a backup code",
        "Enter the code from your authenticator app or a backup code",
    ),
    "backup": ("Backup code", "Enter a backup code"),
}


class CodeForm(GovukForm):
    code = forms.CharField(max_length=20, strip=True)

    def __init__(self, *args: Any, source: str = "authenticator", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label, required = CODE_WORDING[source]
        field = self.fields["code"]
        field.label = label
        field.error_messages["required"] = required
        field.widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})


class PasskeyNameForm(GovukForm):
    name = forms.CharField(
        label="Passkey name",
        max_length=PASSKEY_NAME_MAX,
        help_text="A name you will know it by, for example ‘Work laptop’ or ‘Security key’.",
        error_messages={
            "required": "Enter a name for the passkey",
            "max_length": f"Passkey name must be {PASSKEY_NAME_MAX} characters or fewer",
        },
    )


class ConfirmForm(GovukForm):
    """A confirmation page's form: no field, only a refusal to show in the error summary."""


class RoleForm(GovukForm):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose a role."},
    )
    action = forms.ChoiceField(
        label="Give or take away",
        choices=[("add", "Give this role"), ("remove", "Take this role away")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to give or take away the role."},
    )


class UnlockForm(GovukForm):
    username = forms.CharField(max_length=150)
