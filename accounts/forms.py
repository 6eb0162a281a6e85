from __future__ import annotations

from django import forms

from decisions.forms import GovukForm
from decisions.roles import Role


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        error_messages={
            "required": "Enter the code from your authenticator app, or a backup code."
        },
    )


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
