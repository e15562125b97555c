"""Forms validate and convert; they never save. Services do the writing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from pupils.forms import DateInput, not_in_future
from pupils.models import BroadArea, SchoolClass, YearGroup
from send_mis.widgets import LightModelChoiceField

from .imports import MAX_BYTES
from .models import AssessmentPoint, FlagStatus, OutcomeProgress, SchoolSettings, Subject

TEXT = {"rows": 3}


def score_field_name(pupil_id, subject_id) -> str:
    return f"score-{pupil_id}-{subject_id}"


class ScoreGridForm(forms.Form):
    """Every pupil of a class by every subject, for one assessment point: one input per cell."""

    def __init__(self, *args, pupils, subjects, school_settings: SchoolSettings, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = list(pupils)
        self.subjects = list(subjects)
        low, high = school_settings.score_min, school_settings.score_max
        for pupil in self.pupils:
            for subject in self.subjects:
                name = score_field_name(pupil.pk, subject.pk)
                self.fields[name] = forms.DecimalField(
                    label=f"{subject.name} score for {pupil.display_name}",
                    required=False,
                    min_value=low,
                    max_value=high,
                    max_digits=6,
                    decimal_places=1,
                    error_messages={
                        "invalid": "Enter a number.",
                        "min_value": f"Enter a score of {low} or more.",
                        "max_value": f"Enter a score of {high} or less.",
                        "max_decimal_places": "Use at most one decimal place.",
                        "max_digits": "That score is too long.",
                    },
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5, "autocomplete": "off"}),
                )
                if (pupil.pk, subject.pk) in existing:
                    self.initial[name] = existing[(pupil.pk, subject.pk)]

    def rows(self):
        """(pupil, [bound field per subject]) for the template."""
        for pupil in self.pupils:
            yield pupil, [self[score_field_name(pupil.pk, subject.pk)] for subject in self.subjects]

    def values(self) -> dict[tuple, Decimal | None]:
        return {
            (pupil.pk, subject.pk): self.cleaned_data.get(score_field_name(pupil.pk, subject.pk))
            for pupil in self.pupils
            for subject in self.subjects
        }


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: UPN, subject, point, score, with that header line.",
        error_messages={"empty": "The file is empty.", "required": "Choose a CSV file to check."},
    )

    def clean_file(self):
        # The size Django recorded while storing the upload: a large file is refused without being read.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB. Split it into smaller files.")
        return upload


class ImportConfirmForm(forms.Form):
    good_rows_only = forms.BooleanField(label="Import only the good rows (the bad rows are left out)", required=False)


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolSettings
        fields = [
            "expected_score",
            "score_min",
            "score_max",
            "baseline_band_width",
            "slower_than_peers_margin",
            "min_peers",
            "previous_rate_margin",
            "gap_margin",
            "min_signs",
        ]

    def clean(self):
        data = super().clean()
        low, high, expected = data.get("score_min"), data.get("score_max"), data.get("expected_score")
        if low is not None and high is not None and low >= high:
            self.add_error("score_max", "The highest score must be above the lowest.")
        elif expected is not None and low is not None and high is not None and not low <= expected <= high:
            self.add_error("expected_score", "The age-expected score must be between the lowest and highest.")
        return data


class SubjectForm(forms.Form):
    name = forms.CharField(label="New subject", max_length=60)


class AssessmentPointForm(forms.Form):
    name = forms.CharField(
        label="Name of the assessment point", max_length=60, help_text="For example: Mock SATs 2027."
    )
    assessed_on = forms.DateField(label="Date", widget=DateInput())


class FlagFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *FlagStatus.choices], required=False)
    # Options read as (key, name) rows, not model instances through a server-side cursor (Django's iterator()).
    subject = LightModelChoiceField(queryset=Subject.objects.none(), required=False, empty_label="Any subject")
    point = LightModelChoiceField(queryset=AssessmentPoint.objects.none(), required=False, empty_label="Any point")
    year_group = forms.TypedChoiceField(
        choices=[("", "Any year"), *YearGroup.choices], required=False, coerce=int, empty_value=None
    )
    school_class = LightModelChoiceField(
        queryset=SchoolClass.objects.none(), required=False, empty_label="Any class", label="Class"
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(school=school)
        self.fields["point"].queryset = AssessmentPoint.objects.filter(school=school)
        self.fields["school_class"].queryset = SchoolClass.objects.filter(school=school)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="Why is this flag dismissed?",
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text="For example: absent for two weeks before the test; scores since are back in line.",
    )

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if len(value) < 5:
            raise forms.ValidationError("Give a reason of at least a few words.")
        return value


class FlagConcernForm(forms.Form):
    broad_area = forms.ChoiceField(
        label="Area of concern (if you can say)", choices=[("", "Not sure"), *BroadArea.choices], required=False
    )
    description = forms.CharField(
        label="What have you noticed?", widget=forms.Textarea(attrs={"rows": 5}), min_length=20, max_length=5000
    )
    actions_taken = forms.CharField(
        label="What have you tried so far?", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )


class PlanStartForm(forms.Form):
    started_on = forms.DateField(label="SEN support starts on", widget=DateInput())
    evidence = forms.CharField(
        label="Evidence gathered so far",
        help_text="The SEN concerns and progress flags, to begin the assessment of need. Edit as you wish.",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        not_in_future(value, "start date")
        return value


class ParentsToldForm(forms.Form):
    told_on = forms.DateField(label="Parents told on", widget=DateInput())
    how = forms.CharField(label="How", max_length=200, help_text="For example: meeting with the SENCO; letter home.")

    def clean_told_on(self):
        value = self.cleaned_data["told_on"]
        not_in_future(value, "date parents were told")
        return value


class AssessForm(forms.Form):
    needs_communication = forms.CharField(
        label="Communication and interaction", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    needs_cognition = forms.CharField(
        label="Cognition and learning", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    needs_semh = forms.CharField(
        label="Social, emotional and mental health", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    needs_sensory = forms.CharField(
        label="Sensory and/or physical", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    assessment_evidence = forms.CharField(
        label="Evidence (assessments, observations, advice)",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=5000,
    )
    pupil_views = forms.CharField(
        label="The pupil's views", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    parent_views = forms.CharField(
        label="The parents' views", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )

    def clean(self):
        data = super().clean()
        if not any(
            (data.get(name) or "").strip()
            for name in ("needs_communication", "needs_cognition", "needs_semh", "needs_sensory")
        ):
            raise forms.ValidationError("Describe the pupil's needs in at least one broad area.")
        return data


class PlanForm(forms.Form):
    adjustments = forms.CharField(
        label="Adjustments in class", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    expected_impact = forms.CharField(label="Expected impact", widget=forms.Textarea(attrs=TEXT), max_length=5000)
    review_on = forms.DateField(
        label="Review date", widget=DateInput(), help_text="A reminder goes to the class teacher."
    )

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The review date must be in the future.")
        return value


class OutcomeForm(forms.Form):
    description = forms.CharField(
        label="Outcome sought", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    success_measure = forms.CharField(
        label="How we will know (specific and measurable)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="For example: reads 40 words a minute from a Year 2 book by the review.",
    )

    def clean(self):
        data = super().clean()
        description, measure = (data.get("description") or "").strip(), (data.get("success_measure") or "").strip()
        if description and not measure:
            self.add_error("success_measure", "Say how you will measure this outcome.")
        if measure and not description:
            self.add_error("description", "Describe the outcome this measures.")
        return data


class SupportForm(forms.Form):
    description = forms.CharField(label="Intervention or support", max_length=300, required=False)
    delivered_by = forms.CharField(label="Who", max_length=200, required=False)
    frequency = forms.CharField(label="How often", max_length=200, required=False)
    starts_on = forms.DateField(label="From", widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        given = [name for name in ("description", "delivered_by", "frequency") if (data.get(name) or "").strip()]
        if given or data.get("starts_on"):
            for name in ("description", "delivered_by", "frequency", "starts_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Give what, who, how often and from when.")
        return data


OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=2)
SupportFormSet = forms.formset_factory(SupportForm, extra=2)


class NoteForm(forms.Form):
    written_on = forms.DateField(label="Date", widget=DateInput())
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs=TEXT), max_length=5000)

    def clean_written_on(self):
        value = self.cleaned_data["written_on"]
        not_in_future(value, "date of the note")
        return value


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Date of the review", widget=DateInput())
    confirm_moved = forms.BooleanField(
        label="The review was held on a different day than the plan set: record it on that day",
        required=False,
    )

    def __init__(self, *args, outcomes, scheduled_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        self.scheduled_on = scheduled_on
        for outcome in self.outcomes:
            self.fields[f"progress-{outcome.pk}"] = forms.ChoiceField(
                label=f"Progress on: {outcome.description}", choices=OutcomeProgress.choices, widget=forms.RadioSelect
            )
            self.fields[f"evidence-{outcome.pk}"] = forms.CharField(
                label=f"Evidence for: {outcome.description}", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
            )
        self.fields["impact"] = forms.CharField(
            label="Impact of the support", widget=forms.Textarea(attrs=TEXT), max_length=5000
        )
        self.fields["pupil_views"] = forms.CharField(
            label="The pupil's views", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
        )
        self.fields["parent_views"] = forms.CharField(
            label="The parents' views", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
        )
        self.fields["next_steps"] = forms.CharField(
            label="Next steps", widget=forms.Textarea(attrs=TEXT), max_length=5000
        )

    def clean_reviewed_on(self):
        value = self.cleaned_data["reviewed_on"]
        not_in_future(value, "review date")
        return value

    def clean(self):
        """A review held on another day than the one the plan set asks for confirmation, saying what follows:
        the review deadline is met on the day held (late after the day set), and the next cycle starts then."""
        data = super().clean()
        held, scheduled = data.get("reviewed_on"), self.scheduled_on
        if held and scheduled and held != scheduled and not data.get("confirm_moved"):
            late = (held - scheduled).days
            timing = (
                f"{late} days after the day set: the review is recorded as met late"
                if late > 0
                else (f"{-late} days before the day set")
            )
            self.add_error(
                "confirm_moved",
                f"The plan set the review for {scheduled:%-d %B %Y}; you entered {held:%-d %B %Y}, {timing}. The "
                "next cycle starts from the day held, and its review date is set when you plan it. Tick to "
                "confirm, or correct the date.",
            )
        return data


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Date of the meeting", widget=DateInput())
    attendees = forms.CharField(label="Who attended", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    outcomes = forms.CharField(label="Outcomes", widget=forms.Textarea(attrs=TEXT), max_length=5000)
    actions_agreed = forms.CharField(
        label="Actions agreed", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    shared_with_parents_on = forms.DateField(label="Shared with parents on", widget=DateInput(), required=False)

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        not_in_future(value, "meeting date")
        return value

    def clean(self):
        data = super().clean()
        held, shared = data.get("held_on"), data.get("shared_with_parents_on")
        if held and shared and shared < held:
            self.add_error("shared_with_parents_on", "The notes cannot be shared before the meeting.")
        return data


class PassportForm(forms.Form):
    important_to_me = forms.CharField(
        label="What is important to me", widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    like_and_admire = forms.CharField(
        label="What people like and admire about me", widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    how_to_support = forms.CharField(
        label="How best to support me", widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    in_own_words = forms.BooleanField(label="Written in the pupil's own words", required=False)


class ProgressCheckTwoForm(forms.Form):
    checked_on = forms.DateField(label="Date of the check", widget=DateInput())
    strengths = forms.CharField(label="Strengths", widget=forms.Textarea(attrs=TEXT), max_length=5000)
    less_than_expected = forms.CharField(
        label="Areas of less than expected progress", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    concerns = forms.CharField(label="Concerns", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000)
    planned_response = forms.CharField(
        label="Planned response", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )
    shared_with_parents_on = forms.DateField(label="Shared with parents on", widget=DateInput(), required=False)

    def clean_checked_on(self):
        value = self.cleaned_data["checked_on"]
        not_in_future(value, "date of the check")
        return value

    def clean(self):
        data = super().clean()
        checked, shared = data.get("checked_on"), data.get("shared_with_parents_on")
        if checked and shared and shared < checked:
            self.add_error("shared_with_parents_on", "The check cannot be shared before it was made.")
        if (data.get("less_than_expected") or "").strip() and not (data.get("planned_response") or "").strip():
            self.add_error(
                "planned_response", "Say how the setting will respond to the areas of less than expected progress."
            )
        return data


class PlanEndForm(forms.Form):
    ended_on = forms.DateField(label="The support plan ended on", widget=DateInput())
    reason = forms.CharField(
        label="Why the support plan is ending",
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text="For example: outcomes met and the pupil no longer needs SEN support; an EHC plan now sets the "
        "provision.",
    )

    def clean_ended_on(self):
        value = self.cleaned_data["ended_on"]
        not_in_future(value, "date the plan ended")
        return value

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the support plan is ending.")
        return reason


class HealthcarePlanForm(forms.Form):
    condition = forms.CharField(label="Medical condition", max_length=200)
    plan_on = forms.DateField(label="Plan agreed on", widget=DateInput())
    review_on = forms.DateField(
        label="Next review by", widget=DateInput(), help_text="At least every 12 months; sooner if the plan says."
    )
    held_by = forms.CharField(
        label="Who holds the plan", max_length=200, help_text="For example: school office, first aid room, class."
    )


class HealthcarePlanReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput())
    next_review_on = forms.DateField(label="Next review by", widget=DateInput())
