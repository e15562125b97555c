"""Recording that a pupil's document was sent outside the school."""

from __future__ import annotations

from django import forms
from django.db import models

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


class Destination(models.TextChoices):
    IN_SCHOOL = "in_school", "For use in school"
    LEAVING = "leaving", "It will leave the school"


class ReleaseForm(forms.Form):
    """Asked before an EHC document is downloaded: is it for use in school, or will it leave the school, and
    then to whom and why (reg 17 of the SEND Regulations 2014 allows disclosure without consent only for the
    purposes DisclosurePurpose lists)."""

    destination = forms.ChoiceField(
        label="Where is this document going?", choices=Destination.choices, widget=forms.RadioSelect
    )
    recipient = forms.CharField(
        label="Sent to (if it leaves the school)",
        max_length=200,
        required=False,
        help_text="The person and organisation, e.g. 'Head of Bulwell Academy'.",
    )
    purpose = forms.ChoiceField(
        label="Why it is sent (if it leaves the school)",
        choices=DisclosurePurpose.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Without the consent of the parent or the young person, an EHC document may be sent only for "
        "these purposes.",
    )

    def clean(self):
        data = super().clean()
        if data.get("destination") == Destination.LEAVING:
            if not data.get("recipient", "").strip():
                self.add_error("recipient", "Say who the document is sent to.")
            if not data.get("purpose"):
                self.add_error("purpose", "Choose why it is sent: consent, or one of the purposes listed.")
        elif data.get("destination") == Destination.IN_SCHOOL and (
            data.get("recipient", "").strip() or data.get("purpose")
        ):
            self.add_error(
                "destination", "A recipient or purpose is given: choose 'It will leave the school', or clear them."
            )
        return data

    def disclosure_fields(self) -> dict[str, str]:
        """The recipient and purpose to log: both empty for a document kept in school."""
        if self.cleaned_data["destination"] == Destination.IN_SCHOOL:
            return {"recipient": "", "purpose": ""}
        return {"recipient": self.cleaned_data["recipient"].strip(), "purpose": self.cleaned_data["purpose"]}
