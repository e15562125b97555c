"""Forms of the school set-up and staff pages: validate and convert only; the services save."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from .forms import DateInput
from .models import Role, School, SchoolClass, SencoAwardChoice, YearGroup
from .term_csv import TermLine, parse_terms

LOGO_MAX_BYTES = 2 * 1024 * 1024


class SchoolDetailsForm(forms.ModelForm):
    # The school's one setting of its phase transfers (School.transfer_year_groups), which the deadlines use.
    uses_phase_defaults = forms.BooleanField(
        label="Use the usual transfer year groups for the school's phase",
        help_text="Year 6 in a primary school, Year 11 in a secondary, Nursery 2 in a nursery.",
        required=False,
        initial=True,
    )
    transfer_year_groups = forms.TypedMultipleChoiceField(
        label="Otherwise: the year groups that move to another phase next September",
        help_text="Pupils with an EHC plan in these years have their plan reviewed and amended before the move "
        "(SEND Regulations reg 18): for example Nursery 2 into Reception, Year 2 in an infant school, Year 4 in a "
        "first school, Year 6 in a primary, Year 11 without a sixth form. Tick none if the school has no transfer.",
        choices=YearGroup.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = School
        fields = [
            "name",
            "urn",
            "la_name",
            "la_code",
            "phase",
            "uses_phase_defaults",
            "transfer_year_groups",
            "address",
            "postcode",
            "phone",
            "email",
            "logo",
            "head_name",
            "senco_name",
        ]
        labels = {"name": "School name", "email": "School email", "phone": "School phone"}
        help_texts = {
            "urn": "Six digits, from Get Information about Schools.",
            "la_code": "Three digits, such as 892 for Nottingham City.",
            "logo": "PNG or JPEG, up to 2 MB: it heads every letter.",
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["uses_phase_defaults"] = self.instance.transfer_year_groups is None
            self.initial["transfer_year_groups"] = sorted(self.instance.phase_transfer_year_groups())

    def clean(self):
        data = super().clean()
        # None: the phase's usual year groups; a list (perhaps empty: no transfer at all): the school's own.
        data["transfer_year_groups"] = (
            None if data.get("uses_phase_defaults") else sorted(data.get("transfer_year_groups") or [])
        )
        return data

    def clean_urn(self) -> str:
        urn = self.cleaned_data["urn"].strip()
        if not re.fullmatch(r"\d{6}", urn):
            raise forms.ValidationError("A URN is six digits.")
        return urn

    def clean_la_code(self) -> str:
        code = self.cleaned_data["la_code"].strip()
        if not re.fullmatch(r"\d{3}", code):
            raise forms.ValidationError("An LA code is three digits.")
        return code

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES:
            raise forms.ValidationError("The logo is larger than 2 MB: save it smaller and try again.")
        return logo


class TermForm(forms.Form):
    name = forms.CharField(max_length=50, help_text="Such as Autumn 1 or Spring term.")
    starts_on = forms.DateField(label="First day", widget=DateInput())
    ends_on = forms.DateField(label="Last day", widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day is before the first day.")
        return data

    def term_lines(self) -> list[TermLine]:
        d = self.cleaned_data
        return [TermLine(1, d["name"], d["starts_on"], d["ends_on"])]


class TermPasteForm(forms.Form):
    text = forms.CharField(
        label="Paste term dates",
        help_text="One term a line: name, first day, last day. For example: Autumn 1, 02/09/2026, 23/10/2026",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    file = forms.FileField(label="Or upload a CSV file of term dates", required=False)

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        upload = data.get("file")
        if upload:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not a CSV text file (UTF-8).")
        if not text.strip():
            raise forms.ValidationError("Paste some term dates or choose a file.")
        terms, errors = parse_terms(text)
        if errors:
            raise forms.ValidationError(errors)
        if not terms:
            raise forms.ValidationError("No term dates were found.")
        data["terms"] = terms
        return data


class YearGroupsForm(forms.Form):
    year_groups = forms.TypedMultipleChoiceField(
        label="Year groups the school teaches",
        choices=YearGroup.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )


class ClassForm(forms.Form):
    name = forms.CharField(max_length=50, label="Class name", help_text="Such as 3 Oak.")
    year_group = forms.TypedChoiceField(choices=YearGroup.choices, coerce=int)

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        if school.year_groups:
            self.fields["year_group"].choices = [(y, YearGroup(y).label) for y in school.year_groups]


class _ClassChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SchoolClass) -> str:
        return obj.name


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    classes = _ClassChoices(
        queryset=SchoolClass.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The classes a teacher teaches: they see only these pupils.",
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classes"].queryset = school.classes.order_by("year_group", "name")

    def clean(self):
        data = super().clean()
        if data.get("classes") and Role.TEACHER not in (data.get("roles") or []):
            self.add_error("classes", "Only a teacher has classes: tick Teacher, or untick the classes.")
        return data


class StaffInviteForm(StaffRolesForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="The invitation to set a password goes here.")

    field_order = ["first_name", "last_name", "email", "roles", "classes"]


class InvitationPasswordForm(SetPasswordForm):
    """Django's set-password form (the password validators in settings apply)."""


# --- The school's own statutory calendar (the head's records) ------------------------------------------------


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class SencoQualificationForm(forms.Form):
    senco = _StaffChoice(queryset=None, label="SENCO", empty_label=None)
    took_up_on = forms.DateField(label="Took up the SENCO post on", widget=DateInput())
    award = forms.ChoiceField(
        label="Award held or under way",
        choices=SencoAwardChoice.choices,
        required=False,
        help_text="The NPQ for SENCOs; a NASENCO counts only if begun before 1 September 2024 and completed "
        "before 1 September 2027.",
    )
    begun_on = forms.DateField(label="Award begun on", widget=DateInput(), required=False)
    completed_on = forms.DateField(
        label="Award completed on", widget=DateInput(), required=False, help_text="Leave empty while it is under way."
    )

    def __init__(self, *args, sencos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["senco"].queryset = sencos


class AccessibilityPlanForm(forms.Form):
    plan_on = forms.DateField(label="Date of the plan", widget=DateInput(), help_text="The plan covers 3 years.")
    held_by = _StaffChoice(queryset=None, label="Who holds it", required=False, empty_label="Nobody named")
    published_at = forms.CharField(
        label="Where it is published",
        max_length=300,
        help_text="The web address of the plan, or where a copy can be read.",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_by"].queryset = staff


class InformationReportFirstDueForm(forms.Form):
    due_on = forms.DateField(
        label="Publish the first SEN information report by",
        widget=DateInput(),
        required=False,
        help_text="Twelve months after the school last published one. Once a governor approves a report in "
        "send-mis, each publication sets the next date.",
    )
