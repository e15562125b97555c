"""Forms of the top layer: they validate and convert; services write."""

from __future__ import annotations

from django import forms

from provision.models import Provision


class SectionFLineForm(forms.Form):
    description = forms.CharField(label="provision specified", max_length=300, help_text="As section F words it.")
    minutes_per_week = forms.IntegerField(label="minutes a week", min_value=1, max_value=2400)
    delivered_by = forms.CharField(label="delivered by", max_length=120)
    provisions = forms.ModelMultipleChoiceField(
        label="delivered through these provisions",
        queryset=Provision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provisions"].queryset = Provision.objects.filter(school=school)
