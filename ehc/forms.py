"""Forms validate and convert; they never save. ehc.services checks the order of dates and writes."""

from __future__ import annotations

from django import forms

from pupils.forms import DateInput

from .models import (
    PLAN_SECTIONS,
    REQUIRED_INVITEE_ROLES,
    AssessmentDecision,
    AssessmentOutcome,
    EhcAssessment,
    InviteeRole,
    Recommendation,
    RequestedBy,
)

TEXT = {"rows": 4}
LONG_TEXT = {"rows": 12}


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class AssessmentRequestForm(forms.Form):
    requested_by = forms.ChoiceField(
        label="Who asked for the assessment?", choices=RequestedBy.choices, widget=forms.RadioSelect
    )
    requested_on = _date("Request made on")
    la_name = forms.CharField(
        label="Local authority", max_length=100, required=False, help_text="Leave blank for the school's own LA."
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The LA's decision", choices=AssessmentDecision.choices, widget=forms.RadioSelect
    )
    decided_on = _date("LA decided on")


class AdviceRequestForm(forms.Form):
    received_on = _date(
        "The LA's request for advice was received on", help_text="The school's advice is due 6 weeks after this day."
    )


class AdviceForm(forms.Form):
    advice = forms.CharField(
        label="The school's advice and information", widget=forms.Textarea(attrs={"rows": 24}), max_length=50000
    )
    submitted_on = _date(
        "Sent to the LA on",
        required=False,
        help_text="Leave blank to save a draft; give the day it was sent to record it as sent.",
    )


class AssessmentOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=AssessmentOutcome.choices, widget=forms.RadioSelect)
    outcome_on = _date("On")


class ReassessmentForm(forms.Form):
    requested_by = forms.ChoiceField(label="Who asked?", choices=RequestedBy.choices, widget=forms.RadioSelect)
    requested_on = _date("Request made on")
    reason = forms.CharField(
        label="Why a re-assessment is asked for", widget=forms.Textarea(attrs=TEXT), required=False, max_length=5000
    )


class DraftReceiveForm(forms.Form):
    received_on = _date("Draft received on", help_text="Day 1 of the 15 days for the school's views.")
    assessment = forms.ModelChoiceField(
        queryset=EhcAssessment.objects.none(),
        required=False,
        label="From the assessment requested on",
        empty_label="Not from an assessment (a draft amended plan)",
    )

    def __init__(self, *args, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = pupil.ehc_assessments.all()
        self.fields["assessment"].label_from_instance = lambda a: a.requested_on.strftime("%-d %B %Y")


class DraftReceivedForm(forms.Form):
    received_on = _date("Draft received on", help_text="Day 1 of the 15 days for the school's views.")


class DraftResponseForm(forms.Form):
    response = forms.CharField(
        label="The school's views on the draft plan", widget=forms.Textarea(attrs=LONG_TEXT), max_length=50000
    )
    submitted_on = _date("Sent to the LA on")


class _SectionsForm(forms.Form):
    """Sections A to K, each its own field, labelled as reg 12(1) names them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, letter, label in PLAN_SECTIONS:
            self.fields[field] = forms.CharField(
                label=f"Section {letter}: {label}",
                required=False,
                max_length=50000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text="One outcome per line." if letter == "E" else "",
            )

    def sections(self) -> dict[str, str]:
        return {field: self.cleaned_data.get(field, "") for field, _, _ in PLAN_SECTIONS}


class PlanIssueForm(_SectionsForm):
    field_order = ["la_name", "issued_on", "names_school", "named_school", "review_interval_months", "assessment"]

    la_name = forms.CharField(
        label="Local authority", max_length=100, required=False, help_text="Leave blank for the school's own LA."
    )
    issued_on = _date("Final plan issued on")
    names_school = forms.BooleanField(label="The plan names this school in section I", required=False, initial=True)
    named_school = forms.CharField(label="School or institution named in section I", max_length=200, required=False)
    review_interval_months = forms.TypedChoiceField(
        label="Review the plan within",
        coerce=int,
        initial=12,
        choices=[(12, "12 months (the legal maximum)"), (6, "6 months (recommended under five)"), (3, "3 months")],
        help_text="For a child under five the Code recommends reviews every 3 to 6 months (CoP 9.178).",
    )
    assessment = forms.ModelChoiceField(
        queryset=EhcAssessment.objects.none(),
        required=False,
        label="Issued after the assessment requested on",
        empty_label="Not linked to an assessment recorded here",
    )

    def __init__(self, *args, pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = pupil.ehc_assessments.all()
        self.fields["assessment"].label_from_instance = lambda a: a.requested_on.strftime("%-d %B %Y")
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if not data.get("names_school") and not (data.get("named_school") or "").strip():
            self.add_error("named_school", "Give the school or institution the plan names instead.")
        return data


class PlanAmendForm(_SectionsForm):
    issued_on = _date("Amended plan issued on")
    next_school = forms.CharField(
        label="School or institution the plan names for the phase transfer",
        max_length=200,
        required=False,
        help_text="Only for the amended plan before a phase transfer: naming the next school meets the "
        "phase-transfer deadline (reg 18). Leave blank otherwise.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["issued_on", "next_school"])


class ReviewScheduleForm(forms.Form):
    meeting_on = _date("Meeting date", help_text="Invitations and advice must go out at least 2 weeks before.")
    meeting_time = forms.TimeField(
        label="Meeting time",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="For example 14:30. The invitation letters give it.",
        error_messages={"invalid": "Enter a time such as 14:30."},
    )
    meeting_place = forms.CharField(
        label="Meeting place",
        max_length=200,
        required=False,
        help_text="For example: the school's meeting room. Blank: the school.",
    )
    is_combined_with_pep = forms.BooleanField(
        label="Combine with the personal education plan (PEP) review (looked-after children)", required=False
    )


class InviteeForm(forms.Form):
    role = forms.ChoiceField(choices=InviteeRole.choices)
    name = forms.CharField(max_length=200, help_text="Their name, as the letter will greet them: Jo Hardy.")
    title = forms.CharField(
        label="Their role, as they would say it",
        max_length=100,
        required=False,
        help_text="For example: Educational psychologist. It goes under their name on the letter.",
    )
    email = forms.EmailField(required=False)
    invited_on = _date("Invitation sent on", required=False, help_text="Leave blank if not sent yet.")
    is_by_post = forms.BooleanField(
        label="Sent by post", required=False, help_text="Notice counts from delivery: allow two days in the post."
    )


class InvitationsSentForm(forms.Form):
    sent_on = _date("Invitations sent on", help_text="Recorded for everyone not yet invited.")
    is_by_post = forms.BooleanField(
        label="Sent by post", required=False, help_text="Notice counts from delivery: allow two days in the post."
    )


class RoleNotApplicableForm(forms.Form):
    role = forms.ChoiceField(
        label="Who need not be invited",
        choices=[(r, InviteeRole(r).label) for r in REQUIRED_INVITEE_ROLES if r != InviteeRole.PARENT],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text="For example: no social care involvement; the LA's social care team confirmed it need not attend.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why this person need not be invited.")
        return reason


class ReviewAdviceForm(forms.Form):
    source = forms.CharField(
        label="Advice from",
        max_length=200,
        help_text="For example: educational psychologist; speech and language therapist.",
    )
    requested_on = _date("Requested on")


class ReceivedForm(forms.Form):
    received_on = _date("Received on")


class CirculatedForm(forms.Form):
    circulated_on = _date("Advice circulated to every invitee on")


class HeldForm(forms.Form):
    held_on = _date("Meeting held on")
    confirm_moved = forms.BooleanField(
        label="The meeting was held on a different day than it was set for: move the dates that follow from it",
        required=False,
    )


class ReviewOutcomeForm(forms.Form):
    recommendation = forms.ChoiceField(label="Recommendation", choices=Recommendation.choices, widget=forms.RadioSelect)
    pupil_views = forms.CharField(
        label="The pupil's views", widget=forms.Textarea(attrs=TEXT), required=False, max_length=20000
    )
    parent_views = forms.CharField(
        label="The parents' views", widget=forms.Textarea(attrs=TEXT), required=False, max_length=20000
    )
    has_advocate = forms.BooleanField(label="An advocate supported the pupil or parents", required=False)
    advocate_name = forms.CharField(label="Advocate's name", max_length=200, required=False)
    recommended_amendments = forms.CharField(
        label="Amendments to the plan the meeting recommends",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=20000,
        help_text="Required when the recommendation is to amend the plan.",
    )
    differences_of_view = forms.CharField(
        label="Differences of view between those present",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=20000,
    )
    preparation_for_adulthood = forms.CharField(
        label="Preparation for adulthood and independent living",
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=20000,
        help_text="From Year 9: employment, independent living, friends and community, good health.",
    )

    def __init__(self, *args, progress_rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress_positions = []
        for row in progress_rows:
            name = f"progress_{row.position}"
            self.fields[name] = forms.CharField(
                label=f"Progress towards outcome {row.position}: {row.outcome}",
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=row.progress,
            )
            self.progress_positions.append(row.position)
        self.order_fields([f"progress_{p}" for p in self.progress_positions])

    def clean(self):
        data = super().clean()
        if data.get("has_advocate") and not (data.get("advocate_name") or "").strip():
            self.add_error("advocate_name", "Give the advocate's name.")
        if not data.get("has_advocate") and (data.get("advocate_name") or "").strip():
            self.add_error("has_advocate", "Tick this box if an advocate supported them, or clear the name.")
        return data

    def progress(self) -> dict[int, str]:
        return {p: self.cleaned_data.get(f"progress_{p}", "") for p in self.progress_positions}


class ReportSentForm(forms.Form):
    sent_on = _date("Report sent to everyone invited on")


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="The LA's decision", choices=Recommendation.choices, widget=forms.RadioSelect)
    decided_on = _date("LA decided on")


class DisagreementForm(forms.Form):
    raised_on = _date("Raised on")
    summary = forms.CharField(
        label="What the disagreement is about", widget=forms.Textarea(attrs=TEXT), max_length=20000
    )
    la_contacted_on = _date("LA contacted on", required=False, help_text="The policy says contact the LA immediately.")


class DisagreementUpdateForm(forms.Form):
    la_contacted_on = _date("LA contacted on", required=False)
    mediation_on = _date("Mediation on", required=False)
    tribunal_on = _date("Tribunal hearing on", required=False)
    outcome = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False, max_length=20000)
    resolved_on = _date("Resolved on", required=False)


class PlanTransferInForm(forms.Form):
    transferred_on = _date("The plan transferred to the new LA on")
    previous_la_name = forms.CharField(label="Previous local authority", max_length=100)
    la_name = forms.CharField(
        label="New local authority", max_length=100, required=False, help_text="Leave blank to keep the plan's LA."
    )
    notified_on = _date(
        "The new LA told the family what it will do on",
        required=False,
        help_text="Within 6 weeks of the transfer (reg 15(4)). Leave blank if not yet.",
    )


class PlanCeaseForm(forms.Form):
    ceased_on = _date("The plan ceased on", help_text="The day the LA's decision to cease the plan took effect.")
    reason = forms.CharField(
        label="Why the plan ceased",
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text="For example: the LA decided after the annual review that the plan is no longer needed.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the plan ceased.")
        return reason
