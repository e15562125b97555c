"""Recording that a pupil's document was sent outside the school."""

from __future__ import annotations

from django import forms

from .models import DisclosedDocument, DisclosurePurpose


class DisclosureForm(forms.Form):
    document = forms.ChoiceField(label="Document", choices=DisclosedDocument.choices)
    recipient = forms.CharField(
        label="Sent to", max_length=200, help_text="The person and organisation, e.g. 'Head of Bulwell Academy'."
    )
    purpose = forms.ChoiceField(
        label="Why it was sent",
        choices=DisclosurePurpose.choices,
        widget=forms.RadioSelect,
        help_text="Without the parents' consent, an EHC plan may be sent only for these purposes.",
    )
