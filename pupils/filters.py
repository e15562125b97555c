"""Search, filters and sorting of the pupil list (django-filter)."""

from datetime import date, datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from send_mis.widgets import LightModelChoiceField

from .models import BroadArea, NeedType, Pupil, RegisterStatus, SchoolClass, YearGroup

_YES_NO = [("true", "Yes"), ("false", "No")]


def _as_date(value: str) -> date | None:
    """The search as a date (14/03/2017, 14/3/17, 2017-03-14 or 14 March 2017), else None."""
    text = value.strip()
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class LightModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A class filter of 700 options without 700 model instances (send_mis.widgets.LightModelChoiceField), nor
    the server-side cursor Django reads a ModelChoiceField's options through."""

    field_class = LightModelChoiceField


class PupilFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Name, UPN or date of birth", max_length=100, help_text="A date as 14/03/2017"
    )
    school_class = LightModelChoiceFilter(queryset=SchoolClass.objects.none(), label="Class", empty_label="Any class")
    year_group = django_filters.ChoiceFilter(choices=YearGroup.choices, label="Year group", empty_label="Any year")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label="Register",
        empty_label="Anyone",
        choices=[("any", "On the register"), ("none", "Not on the register"), *RegisterStatus.choices],
    )
    need = LightModelChoiceFilter(  # the need's key is its code
        queryset=NeedType.objects.all(),
        method="filter_need",
        to_field_name="code",
        label="Primary need",
        empty_label="Any need",
        label_fields=("name", "code"),
        label_from_values=lambda name, code: f"{name} ({code})",
    )
    area = django_filters.ChoiceFilter(
        method="filter_area", choices=BroadArea.choices, label="Broad area", empty_label="Any area"
    )
    eal = django_filters.BooleanFilter(
        field_name="is_eal", label="EAL", widget=forms.Select(choices=[("", "Any"), *_YES_NO])
    )
    lac = django_filters.BooleanFilter(
        field_name="is_looked_after", label="LAC", widget=forms.Select(choices=[("", "Any"), *_YES_NO])
    )
    pp = django_filters.BooleanFilter(
        field_name="is_pupil_premium", label="Pupil premium", widget=forms.Select(choices=[("", "Any"), *_YES_NO])
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label=None,  # no "---------": name order is the default, and the first choice
        fields=(
            (("legal_surname", "legal_forename"), "name"),
            ("year_group", "year"),
            ("school_class__name", "class"),
            ("date_of_birth", "dob"),
            ("register_status", "status"),
        ),
        field_labels={  # keyed by the model field, as django-filter looks them up
            "year_group": "Year group",
            "school_class__name": "Class",
            "date_of_birth": "Date of birth",
            "register_status": "Register status",
        },
    )

    class Meta:
        model = Pupil
        fields: list[str] = []

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school_class"].queryset = SchoolClass.objects.filter(school=school)

    def filter_q(self, queryset: QuerySet[Pupil], name: str, value: str) -> QuerySet[Pupil]:
        born = _as_date(value)
        if born is not None:  # a date of birth, as staff write it
            return queryset.filter(date_of_birth=born)
        condition = Q()
        for word in value.split():
            condition &= (
                Q(legal_forename__icontains=word)
                | Q(legal_surname__icontains=word)
                | Q(preferred_forename__icontains=word)
                | Q(preferred_surname__icontains=word)
                | Q(upn__iexact=word.replace(" ", ""))
            )
        return queryset.filter(condition)

    def filter_need(self, queryset: QuerySet[Pupil], name: str, value: NeedType) -> QuerySet[Pupil]:
        return queryset.filter(primary_need_code=value.code)

    def filter_status(self, queryset: QuerySet[Pupil], name: str, value: str) -> QuerySet[Pupil]:
        if value == "any":
            return queryset.filter(register_status__isnull=False)
        if value == "none":
            return queryset.filter(register_status__isnull=True)
        return queryset.filter(register_status=value)

    def filter_area(self, queryset: QuerySet[Pupil], name: str, value: str) -> QuerySet[Pupil]:
        codes = NeedType.objects.filter(broad_area=value).values("code")
        return queryset.filter(primary_need_code__in=codes).exclude(register_status=RegisterStatus.MONITORING)
