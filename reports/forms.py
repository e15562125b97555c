"""Forms for the reports area: validate and convert only."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from .information import SECTIONS
from .models import NationalMeasure

MAX_SECTION_LENGTH = 10_000


class InformationReportForm(forms.Form):
    """One text box per section of the SEN information report, in the order of the Regulations."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.title,
                help_text=f"{section.reference}. {section.prompt}",
                required=False,
                max_length=MAX_SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )


class NationalFigureForm(forms.Form):
    census_year = forms.IntegerField(
        label="Year of the January census", min_value=2010, max_value=2100, help_text="For example 2025."
    )
    measure = forms.ChoiceField(choices=NationalMeasure.choices)
    percent = forms.DecimalField(
        label="Percentage of pupils in England",
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        help_text="One decimal place, for example 14.2.",
    )
    source = forms.CharField(
        max_length=300, help_text="The publication, for example: DfE, Special educational needs in England, June 2025."
    )


class CensusDayForm(forms.Form):
    day = forms.DateField(label="Census day", required=False)
