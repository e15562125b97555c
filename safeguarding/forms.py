"""Forms for child protection files: validate and convert only; the services save."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone

from .models import BODY_MAP_COLUMNS, BODY_MAP_ROWS, Agency, BodySide, FileStatus, FlagKind
from .services import Mark

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})
TEXT = forms.Textarea(attrs={"rows": 5})

BODY_POSITIONS = [
    (f"{side}-{row}-{column}", f"{label}, row {row}, column {column}")
    for side, label in BodySide.choices
    for row in range(1, BODY_MAP_ROWS + 1)
    for column in range(1, BODY_MAP_COLUMNS + 1)
]


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person(obj)


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        klass = f", {obj.school_class.name}" if obj.school_class_id else ""
        return f"{obj.display_name} ({obj.get_year_group_display()}{klass})"


class WhenMixin(forms.Form):
    """A date and an optional time of day, combined into `occurred_at` (local time). With no time the start of
    the day is taken, so an event recorded today without a time is never in the future."""

    occurred_on = forms.DateField(label="Date", widget=DATE)
    occurred_time = forms.TimeField(label="Time (if known)", required=False, widget=TIME)

    def clean(self):
        data = super().clean()
        if data.get("occurred_on"):
            moment = datetime.combine(data["occurred_on"], data.get("occurred_time") or time(0, 0))
            data["occurred_at"] = timezone.make_aware(moment)
        return data


class BodyMapMixin(forms.Form):
    """One optional body-map mark: a cell of the front or back outline, chosen with a grid of radio buttons
    (arrow keys move between them), and what was seen there."""

    mark_position = forms.ChoiceField(
        label="Place on the body map", choices=BODY_POSITIONS, required=False, widget=forms.RadioSelect
    )
    mark_description = forms.CharField(
        label="Describe the mark (size, colour, shape; what the child said about it)", required=False, max_length=300
    )

    def clean(self):
        data = super().clean()
        position, description = data.get("mark_position"), (data.get("mark_description") or "").strip()
        data["marks"] = []
        if position and not description:
            self.add_error("mark_description", "Describe the mark you placed on the body map.")
        elif description and not position:
            self.add_error("mark_position", "Choose where the mark is on the body map, or clear the description.")
        elif position:
            side, row, column = position.split("-")
            data["marks"] = [Mark(side=side, row=int(row), column=int(column), description=description)]
        return data


def body_grid(form: BodyMapMixin) -> list[dict]:
    """The cells of the body-map grid for each side, with the one chosen (after a refused submission)."""
    chosen = form["mark_position"].value() if form.is_bound else None
    return [
        {
            "key": side,
            "label": label,
            "cells": [
                {"value": value, "label": cell_label, "checked": value == chosen}
                for value, cell_label in BODY_POSITIONS
                if value.startswith(f"{side}-")
            ],
        }
        for side, label in BodySide.choices
    ]


class ConcernReportForm(BodyMapMixin, WhenMixin):
    pupil = PupilChoice(label="The child", queryset=None, empty_label="Choose the child")
    location = forms.CharField(label="Where", max_length=200)
    account = forms.CharField(
        label="What you saw or heard",
        widget=TEXT,
        help_text="Write exactly what the child said, in their own words, and what you saw. Do not interpret.",
    )
    others_involved = forms.CharField(label="Other children or adults involved (if any)", required=False, widget=TEXT)
    immediate_action = forms.CharField(label="What you did straight away", widget=TEXT)
    told_dsl_in_person = forms.TypedChoiceField(
        label="Have you told a DSL in person?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    field_order = [
        "pupil",
        "occurred_on",
        "occurred_time",
        "location",
        "account",
        "others_involved",
        "immediate_action",
        "told_dsl_in_person",
        "mark_position",
        "mark_description",
    ]

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils.select_related("school_class")


class ConcernAddForm(BodyMapMixin):
    text = forms.CharField(label="What you want to add", required=False, widget=TEXT)
    field_order = ["text", "mark_position", "mark_description"]


class TriageForm(forms.Form):
    category = forms.ModelChoiceField(label="Category", queryset=None, empty_label="Choose a category")
    text = forms.CharField(label="Decision and reasons", widget=TEXT)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class NoteForm(WhenMixin):
    text = forms.CharField(label="Note", widget=TEXT)


class ActionForm(forms.Form):
    text = forms.CharField(label="What is to be done", widget=TEXT)
    owner = PersonChoice(label="Owner", queryset=None, empty_label="Choose who does it")
    due_on = forms.DateField(label="Due by", widget=DATE)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff


class ActionDoneForm(forms.Form):
    done_on = forms.DateField(label="Done on", widget=DATE)
    text = forms.CharField(label="What was done", required=False, widget=TEXT)


class ReferralForm(WhenMixin):
    agency = forms.ChoiceField(label="Referred to", choices=Agency.choices)
    reference = forms.CharField(label="Reference number", required=False, max_length=100)
    spoken_to = forms.CharField(label="Who you spoke to", required=False, max_length=200)
    text = forms.CharField(label="What was referred and why", required=False, widget=TEXT)
    field_order = ["agency", "occurred_on", "occurred_time", "reference", "spoken_to", "text"]


class ResponseForm(WhenMixin):
    text = forms.CharField(label="The response", required=False, widget=TEXT)


class NoReferralForm(WhenMixin):
    """Reasons and the deciding DSL are checked by the service, so its refusal reads the same everywhere."""

    agency = forms.ChoiceField(label="Not referred to", choices=[("", "Any agency"), *Agency.choices], required=False)
    reasons = forms.CharField(label="Reasons for the decision", required=False, widget=TEXT)
    decided_by = PersonChoice(label="DSL who decided", queryset=None, required=False, empty_label="Choose the DSL")

    def __init__(self, *args, dsl_team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = dsl_team


class OutcomeForm(WhenMixin):
    text = forms.CharField(label="Outcome", widget=TEXT)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=FileStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason (needed to close the file)", required=False, widget=TEXT)


class FlagForm(forms.Form):
    kind = forms.ChoiceField(label="Status", choices=FlagKind.choices)
    starts_on = forms.DateField(label="From", widget=DATE)


class FlagEndForm(forms.Form):
    ends_on = forms.DateField(label="Ended on", widget=DATE)


class CorrectionForm(WhenMixin):
    text = forms.CharField(label="Corrected text", widget=TEXT)
    reason = forms.CharField(label="Why it is corrected", widget=TEXT)


class EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_kind_display()}, {timezone.localtime(obj.occurred_at):%-d %B %Y}"


class ShareForm(forms.Form):
    user = PersonChoice(label="Member of staff", queryset=None, empty_label="Choose a member of staff")
    entry = EntryChoice(label="What to share", queryset=None, required=False, empty_label="The whole file")
    until_on = forms.DateField(label="Until", widget=DATE)
    reason = forms.CharField(label="Why they need to know", max_length=300)

    def __init__(self, *args, staff, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["entry"].queryset = entries


class TransferForm(forms.Form):
    destination = forms.CharField(label="New school", max_length=200)
    left_on = forms.DateField(label="Last day at this school", widget=DATE)


class TransferSentForm(forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=DATE)
    sent_how = forms.CharField(label="How it was sent", max_length=200, help_text="Secure transfer, hand delivery...")


class ReceiptForm(forms.Form):
    received_by = forms.CharField(label="Received by (the new school's DSL)", max_length=200)
    received_on = forms.DateField(label="Receipt confirmed on", widget=DATE)


class IncomingForm(forms.Form):
    pupil = PupilChoice(label="The child", queryset=None, empty_label="Choose the child")
    from_school = forms.CharField(label="From school", max_length=200)
    received_on = forms.DateField(label="Received on", widget=DATE)
    upload = forms.FileField(label="The file (PDF or scan)")

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils.select_related("school_class")


class SencoToldForm(forms.Form):
    text = forms.CharField(label="What you told the SENCO (optional)", required=False, widget=TEXT)


class CategoryForm(forms.Form):
    name = forms.CharField(label="New category", max_length=80)
