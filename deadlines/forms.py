"""Forms validate and convert; they never save."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from send_mis.widgets import STAFF_LABEL_FIELDS, LightModelChoiceField, full_name_or_username

from .models import Party
from .selectors import STATE_CHOICES

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class DeadlineFilterForm(forms.Form):
    state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False)
    party = forms.ChoiceField(label="Whose duty", choices=[("", "Ours and the LA's"), *Party.choices], required=False)
    kind = forms.ChoiceField(label="Kind", required=False)
    responsible = LightModelChoiceField(
        label="Responsible",
        queryset=None,
        required=False,
        empty_label="Anyone",
        label_fields=STAFF_LABEL_FIELDS,
        label_from_values=full_name_or_username,
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], staff, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind by the title staff see on its rows, never its stored key ("ehc.advice").
        self.fields["kind"].choices = [("", "Any kind"), *kinds]
        self.fields["responsible"].queryset = staff


class ExcuseForm(forms.Form):
    reason = forms.CharField(
        label="Which exception applies, and why",
        help_text="For example: the family were away from the area for 4 weeks or more (reg 10(4)(c)). "
        "The due date does not move; the deadline stops sending reminders and shows as excused.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Say which exception applies and why."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Give the reason in a sentence: which exception applies and why.")
        return reason


def parse_month(value: str | None) -> date | None:
    """The first day of a month given as YYYY-MM; None when the value is missing or not a real month."""
    match = MONTH_PATTERN.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return date(year, month, 1)
