"""Forms validate and convert; they never save. Services do the writing."""

from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from send_mis import dates
from send_mis.text import sentence_case

from .models import (
    BroadArea,
    ConcernStatus,
    NeedType,
    Pupil,
    RegisterStatus,
    SchoolClass,
)
from .upn import normalise_upn, upn_warnings


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def not_in_future(value: date | None, what: str) -> None:
    """Refuse an event date after today (the form is at the edge: it reads the clock)."""
    message = dates.not_in_future(value, today=timezone.localdate(), what=what)
    if message:
        raise forms.ValidationError(message)


class PupilForm(forms.ModelForm):
    # Wider than the model's 13 so "B801 2000 05001" reaches clean_upn, which drops the spaces and checks the length.
    upn = forms.CharField(
        label="UPN",
        max_length=20,
        help_text="13 characters, from the pupil's common transfer file. Spaces are ignored.",
    )

    class Meta:
        model = Pupil
        fields = [
            "upn",
            "legal_forename",
            "legal_surname",
            "preferred_forename",
            "preferred_surname",
            "date_of_birth",
            "gender",
            "year_group",
            "school_class",
            "is_eal",
            "first_language",
            "is_looked_after",
            "is_pupil_premium",
            "admitted_on",
            "left_on",
        ]
        widgets = {"date_of_birth": DateInput(), "admitted_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["school_class"].queryset = SchoolClass.objects.filter(school=school)
        # Things worth a second look that do not stop the save (an LA code the list does not know yet).
        self.warnings: list[str] = []

    def clean_upn(self) -> str:
        upn = normalise_upn(self.cleaned_data["upn"])
        self.warnings = upn_warnings(upn)
        return upn

    def clean_date_of_birth(self) -> date:
        value = self.cleaned_data["date_of_birth"]
        not_in_future(value, "date of birth")
        return value

    def clean(self):
        data = super().clean()
        admitted, left, born = data.get("admitted_on"), data.get("left_on"), data.get("date_of_birth")
        if admitted and left and left < admitted:
            self.add_error("left_on", "The leaving date cannot be before the admission date.")
        if admitted and born and admitted < born:
            self.add_error("admitted_on", "The admission date cannot be before the date of birth.")
        klass = data.get("school_class")
        if klass and data.get("year_group") is not None and klass.year_group != data["year_group"]:
            self.add_error("school_class", f"{klass.name} is a {klass.get_year_group_display()} class.")
        if data.get("is_eal") and (data.get("first_language") or "").strip().lower() == "english":
            self.add_error("first_language", "A pupil with EAL has a first language other than English.")
        return data


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: NeedType) -> str:
        return f"{obj.name} ({obj.code})"


class RegisterEntryForm(forms.Form):
    status = forms.ChoiceField(label="Register status", choices=RegisterStatus.choices, widget=forms.RadioSelect)
    primary_need = NeedChoiceField(
        queryset=NeedType.objects.all(),
        required=False,
        label="Primary need",
        help_text="Required for SEN support and EHC plan.",
    )
    secondary_need = NeedChoiceField(queryset=NeedType.objects.all(), required=False, label="Secondary need")
    started_on = forms.DateField(label="From", widget=DateInput())
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_started_on(self) -> date:
        value = self.cleaned_data["started_on"]
        not_in_future(value, "start date")
        return value

    def clean(self):
        data = super().clean()
        status, primary, secondary = data.get("status"), data.get("primary_need"), data.get("secondary_need")
        if status in (RegisterStatus.SEN_SUPPORT, RegisterStatus.EHC_PLAN) and primary is None:
            self.add_error("primary_need", "SEN support and EHC plan entries need a primary type of need.")
        for name, need in (("primary_need", primary), ("secondary_need", secondary)):
            if need is not None and need.sen_support_only and status != RegisterStatus.SEN_SUPPORT:
                self.add_error(name, f"{need.code} ({need.name}) is only valid with SEN support.")
        if secondary is not None and primary is None:
            self.add_error("secondary_need", "Give a primary need before a secondary need.")
        elif secondary is not None and secondary == primary:
            self.add_error("secondary_need", "The secondary need must differ from the primary need.")
        return data


class RegisterEndForm(forms.Form):
    ended_on = forms.DateField(label="Ended on", widget=DateInput())
    end_reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_ended_on(self) -> date:
        value = self.cleaned_data["ended_on"]
        not_in_future(value, "end date")
        return value


class ConcernForm(forms.Form):
    broad_area = forms.ChoiceField(
        label="Area of concern (if you can say)", choices=[("", "Not sure"), *BroadArea.choices], required=False
    )
    description = forms.CharField(
        label="What have you noticed?",
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=20,
        max_length=5000,
        help_text="Describe what you see in class, with examples and dates. At least 20 characters.",
    )
    actions_taken = forms.CharField(
        label="What have you tried so far?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (ConcernStatus.MONITORING, "Add to the register as monitoring"),
            (ConcernStatus.SEN_SUPPORT, "Add to the register as SEN support"),
            (ConcernStatus.CLOSED, "Close the concern"),
        ],
        widget=forms.RadioSelect,
    )
    primary_need = NeedChoiceField(queryset=NeedType.objects.all(), required=False, label="Primary need")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ConcernStatus.SEN_SUPPORT and data.get("primary_need") is None:
            self.add_error("primary_need", "SEN support needs a primary type of need.")
        need = data.get("primary_need")
        if need is not None and need.sen_support_only and data.get("outcome") != ConcernStatus.SEN_SUPPORT:
            self.add_error("primary_need", f"{need.code} is only valid with SEN support.")
        return data


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Member of staff")
    reason = forms.CharField(
        max_length=200, help_text="For example: teaching assistant supporting in class; supply teacher for Year 3."
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class StatutorySettingsForm(forms.Form):
    """The SENCO's settings of the statutory calendar. Which year groups change phase is one setting of the
    school, set by the head in the school's details (School.transfer_year_groups)."""

    transition_review_by_month = forms.TypedChoiceField(
        label="Hold transition reviews by (month)",
        choices=[(9, "September"), (10, "October"), (11, "November"), (12, "December")],
        coerce=int,
    )
    transition_review_by_day = forms.IntegerField(label="Hold transition reviews by (day)", min_value=1, max_value=30)
    parents_told_school_days = forms.IntegerField(
        label="Tell parents about SEN support within (school days)", min_value=1, max_value=30
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters: who, which pupil (by id: a name never goes in the URL), what, and when."""

    person = forms.ChoiceField(label="Who", required=False)
    pupil = forms.ChoiceField(label="Pupil", required=False)
    action = forms.TypedChoiceField(label="Action", required=False, coerce=int, empty_value=None)
    since = forms.DateField(label="From", required=False, widget=DateInput())
    until = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args, people: list[tuple[str, str]], pupils: list[tuple[str, str]], actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]
        self.fields["pupil"].choices = [("", "Any pupil"), *pupils]
        self.fields["action"].choices = [("", "Any action"), *((str(v), sentence_case(label)) for v, label in actions)]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the range must be on or after its start.")
        return data

    def filters(self) -> dict:
        """The filters that passed validation (a bad one is shown as an error and left out, never a 500)."""
        self.is_valid()
        data = self.cleaned_data
        person, pupil = data.get("person"), data.get("pupil")
        return {
            "action": data.get("action"),
            "actor_id": int(person) if person else None,
            "pupil_id": uuid.UUID(pupil) if pupil else None,
            "since": data.get("since"),
            "until": data.get("until") if "until" not in self.errors else None,
        }
