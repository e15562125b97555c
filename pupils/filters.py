"""Search, filters and sorting of the pupil list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from .models import BroadArea, NeedType, Pupil, RegisterStatus, SchoolClass, YearGroup

_YES_NO = [("true", "Yes"), ("false", "No")]


class PupilFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or UPN", max_length=100)
    school_class = django_filters.ModelChoiceFilter(
        queryset=SchoolClass.objects.none(), label="Class", empty_label="Any class"
    )
    year_group = django_filters.ChoiceFilter(choices=YearGroup.choices, label="Year group", empty_label="Any year")
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label="Register",
        empty_label="Anyone",
        choices=[("any", "On the register"), ("none", "Not on the register"), *RegisterStatus.choices],
    )
    need = django_filters.ModelChoiceFilter(
        queryset=NeedType.objects.all(),
        field_name="primary_need_code",
        to_field_name="code",
        label="Primary need",
        empty_label="Any need",
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
        fields=(
            (("legal_surname", "legal_forename"), "name"),
            ("year_group", "year"),
            ("register_status", "status"),
        ),
        field_labels={"name": "Name", "year": "Year group", "status": "Register status"},
    )

    class Meta:
        model = Pupil
        fields: list[str] = []

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school_class"].queryset = SchoolClass.objects.filter(school=school)

    def filter_q(self, queryset: QuerySet[Pupil], name: str, value: str) -> QuerySet[Pupil]:
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

    def filter_status(self, queryset: QuerySet[Pupil], name: str, value: str) -> QuerySet[Pupil]:
        if value == "any":
            return queryset.filter(register_status__isnull=False)
        if value == "none":
            return queryset.filter(register_status__isnull=True)
        return queryset.filter(register_status=value)

    def filter_area(self, queryset: QuerySet[Pupil], name: str, value: str) -> QuerySet[Pupil]:
        codes = NeedType.objects.filter(broad_area=value).values("code")
        return queryset.filter(primary_need_code__in=codes).exclude(register_status=RegisterStatus.MONITORING)
