"""`{% govuk_error_list form %}`: the GOV.UK error summary's items, each linked to the control that
fixes it. crispy-forms-gds numbers radios and checkboxes from 1 (id_has_interests_1), so its own
summary's "#id_has_interests" reached nothing; these links reach the first option."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


def target_id(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound.html_name}_1"
    if isinstance(widget, forms.MultiWidget):  # the date input: its day
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


@register.simple_tag
def govuk_error_list(form: forms.Form) -> list[dict[str, Any]]:
    """[{"text", "href"}]: errors of the whole form first (linked to its first field, or to
    nothing when it has none), then each field's, in the order of the page."""
    visible = form.visible_fields()
    first = f"#{target_id(visible[0])}" if visible else ""
    items = [{"text": error, "href": first} for error in form.non_field_errors()]
    for bound in visible:
        items.extend({"text": error, "href": f"#{target_id(bound)}"} for error in bound.errors)
    return items
