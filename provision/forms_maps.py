"""Forms of the provision map: they validate and convert; services write."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django import forms

from pupils.forms import DateInput
from pupils.models import Pupil

from .models import Subject, Support
from .models_maps import SCALE_LIMITS, Allocation, Group, Provision, StaffType, Weekday

TEXT = {"rows": 3}
MONEY = {"inputmode": "decimal", "size": 10}


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = Provision
        fields = [
            "name",
            "description",
            "broad_area",
            "wave",
            "intended_outcome",
            "evidence_base",
            "measure_name",
            "measure_scale",
            "subject",
            "staff_type",
            "cost_category",
            "group_size",
            "session_minutes",
            "sessions_per_week",
            "weeks",
            "non_hour_cost",
            "funding_source",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs=TEXT),
            "intended_outcome": forms.Textarea(attrs=TEXT),
            "evidence_base": forms.Textarea(attrs=TEXT),
            "non_hour_cost": forms.TextInput(attrs=MONEY),
        }
        labels = {"subject": "progress subject for comparisons", "is_active": "offered now"}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.fields["subject"].queryset = Subject.objects.filter(school=school)


class StaffRateForm(forms.Form):
    staff_type = forms.ChoiceField(label="staff type", choices=StaffType.choices)
    hourly_rate = forms.DecimalField(
        label="hourly rate (£)",
        min_value=Decimal("0.01"),
        max_value=Decimal("500"),
        max_digits=7,
        decimal_places=2,
        widget=forms.TextInput(attrs=MONEY),
    )
    on_cost = forms.DecimalField(
        label="on-cost multiplier",
        initial=Decimal("1.30"),
        min_value=Decimal("1"),
        max_value=Decimal("3"),
        max_digits=4,
        decimal_places=2,
        help_text="1.30 adds 30% for employer's national insurance and pension.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )
    valid_from = forms.DateField(label="from", widget=DateInput())


class BudgetForm(forms.Form):
    financial_year = forms.IntegerField(
        label="financial year starting in April", min_value=2000, max_value=2100, widget=forms.NumberInput()
    )
    notional_budget = forms.DecimalField(
        label="notional SEN budget (£)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs=MONEY),
    )
    top_up_funding = forms.DecimalField(
        label="high-needs top-up received (£)",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        initial=0,
        widget=forms.TextInput(attrs=MONEY),
    )


def _pupil_label(pupil: Pupil) -> str:
    klass = pupil.school_class.name if pupil.school_class_id else pupil.get_year_group_display()
    return f"{pupil.display_name} ({klass})"


class PupilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, pupil: Pupil) -> str:
        return _pupil_label(pupil)


class PupilField(forms.ModelChoiceField):
    def label_from_instance(self, pupil: Pupil) -> str:
        return _pupil_label(pupil)


def _on_roll(school):
    return (
        Pupil.objects.filter(school=school, left_on__isnull=True)
        .select_related("school_class")
        .order_by("legal_surname", "legal_forename")
    )


class GroupForm(forms.Form):
    provision = forms.ModelChoiceField(queryset=Provision.objects.none())
    name = forms.CharField(max_length=120, help_text="E.g. 'Year 3 reading, Tuesdays'.")
    lead = forms.ModelChoiceField(label="led by", queryset=None, required=False)
    weekday = forms.TypedChoiceField(
        label="day",
        choices=[("", "No fixed day"), *Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    starts_at = forms.TimeField(label="time", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    starts_on = forms.DateField(label="first session on or after", widget=DateInput())
    ends_on = forms.DateField(label="ends on", widget=DateInput())
    pupils = PupilChoiceField(
        queryset=Pupil.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, school, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].queryset = Provision.objects.filter(school=school, is_active=True)
        self.fields["lead"].queryset = staff
        self.fields["pupils"].queryset = _on_roll(school)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The group cannot end before it starts.")
        return data


class AllocationForm(forms.Form):
    pupil = PupilField(queryset=Pupil.objects.none())
    joined_on = forms.DateField(label="joins on", widget=DateInput())

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = _on_roll(school)


class SupportLinkForm(forms.Form):
    support = forms.ModelChoiceField(
        label="support plan line this place delivers", queryset=Support.objects.none(), required=False
    )

    def __init__(self, *args, pupil: Pupil, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].queryset = Support.objects.filter(cycle__plan__pupil=pupil).select_related("cycle")
        self.fields["support"].label_from_instance = lambda s: (
            f"{s.description} ({s.frequency}), cycle {s.cycle.number}"
        )


class WithdrawSessionForm(forms.Form):
    reason = forms.CharField(
        label="Why is this session being withdrawn?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: recorded on the wrong day, or for the wrong group. Up to 300 characters.",
        error_messages={"required": "Say why the session is being withdrawn."},
    )


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="last session on", widget=DateInput())


NOT_HELD, DELIVERED, CANCELLED = "", "delivered", "cancelled"


class WeekForm(forms.Form):
    """A week of a group's sessions: for each school day, delivered (with who was absent), cancelled (with the
    reason) or not held."""

    def __init__(self, *args, group: Group, days: list[date], places: list[Allocation], existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.days, self.places = days, places
        minutes = group.provision.session_minutes
        for n, day in enumerate(days):
            held = existing.get(day)
            self.fields[f"d{n}_status"] = forms.ChoiceField(
                label=f"{day:%A} {day.day} {day:%B}",
                choices=[(NOT_HELD, "No session"), (DELIVERED, "Delivered"), (CANCELLED, "Cancelled")],
                required=False,
                widget=forms.RadioSelect,
                initial=held.status if held else NOT_HELD,
            )
            self.fields[f"d{n}_minutes"] = forms.IntegerField(
                label="minutes",
                min_value=1,
                max_value=480,
                initial=held.minutes if held else minutes,
                widget=forms.NumberInput(attrs={"size": 4}),
            )
            self.fields[f"d{n}_reason"] = forms.CharField(
                label="reason if cancelled", max_length=200, required=False, initial=held.cancel_reason if held else ""
            )
            absent = existing.get((day, "absent"), set())
            for place in places:
                if place.on(day):
                    self.fields[f"d{n}_absent_{place.pk}"] = forms.BooleanField(
                        label=f"{place.pupil.display_name} absent", required=False, initial=place.pupil_id in absent
                    )

    def day_rows(self):
        for n, day in enumerate(self.days):
            absent = [self[f"d{n}_absent_{p.pk}"] for p in self.places if f"d{n}_absent_{p.pk}" in self.fields]
            yield day, self[f"d{n}_status"], self[f"d{n}_minutes"], self[f"d{n}_reason"], absent

    def clean(self):
        data = super().clean()
        for n, day in enumerate(self.days):
            if data.get(f"d{n}_status") == CANCELLED and not (data.get(f"d{n}_reason") or "").strip():
                self.add_error(f"d{n}_reason", f"Say why the session on {day:%A} was cancelled.")
        return data

    def entries(self) -> list[tuple[date, bool, int, str, frozenset[uuid.UUID]]]:
        out = []
        for n, day in enumerate(self.days):
            status = self.cleaned_data.get(f"d{n}_status")
            if status in (DELIVERED, CANCELLED):
                absent = frozenset(p.pupil_id for p in self.places if self.cleaned_data.get(f"d{n}_absent_{p.pk}"))
                out.append(
                    (
                        day,
                        status == DELIVERED,
                        self.cleaned_data[f"d{n}_minutes"],
                        self.cleaned_data.get(f"d{n}_reason", ""),
                        absent,
                    )
                )
        return out


class ScoresForm(forms.Form):
    """Entry and exit scores of a group's pupils on the provision's measure, with the dates of the two tests."""

    entry_on = forms.DateField(label="entry assessment on", required=False, widget=DateInput())
    exit_on = forms.DateField(label="exit assessment on", required=False, widget=DateInput())

    def __init__(self, *args, group: Group, places: list[Allocation], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places
        low, high = SCALE_LIMITS[group.provision.measure_scale]
        for place in places:
            for which, current in (("entry", place.entry_score), ("exit", place.exit_score)):
                self.fields[f"{which}_{place.pk}"] = forms.DecimalField(
                    label=f"{which.capitalize()} score for {place.pupil.display_name}",
                    required=False,
                    min_value=low,
                    max_value=high,
                    max_digits=6,
                    decimal_places=1,
                    initial=current,
                    error_messages={
                        "invalid": "Enter a number.",
                        "min_value": f"Enter a score of {low} or more.",
                        "max_value": f"Enter a score of {high} or less.",
                    },
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5, "autocomplete": "off"}),
                )
        dated = [p for p in places if p.entry_on] or [None]
        self.fields["entry_on"].initial = dated[0].entry_on if dated[0] else None
        exited = [p for p in places if p.exit_on] or [None]
        self.fields["exit_on"].initial = exited[0].exit_on if exited[0] else None

    def rows(self):
        for place in self.places:
            yield place, self[f"entry_{place.pk}"], self[f"exit_{place.pk}"]

    def scores(self) -> list[tuple[uuid.UUID, Decimal | None, Decimal | None]]:
        return [
            (p.pk, self.cleaned_data.get(f"entry_{p.pk}"), self.cleaned_data.get(f"exit_{p.pk}")) for p in self.places
        ]
