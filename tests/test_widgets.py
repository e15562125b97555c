"""The form renderer and the light model selects (send_mis/widgets.py) give the markup Django's own would."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.forms.renderers import DjangoTemplates

from pupils.models import SchoolClass
from send_mis.widgets import STAFF_LABEL_FIELDS, FastRenderer, LightModelChoiceField, full_name_or_username

pytestmark = pytest.mark.django_db


def _same(html: str) -> str:
    """Django's templates put newlines and spaces between options; the fast renderer does not."""
    return re.sub(r">\s+<", "><", html.strip())


class Sample(forms.Form):
    name = forms.CharField(max_length=20, help_text="As on the birth certificate")
    email = forms.EmailField(required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    colour = forms.ChoiceField(choices=[("", "Any"), ("r", "Red & <b>"), ("g", "Green")], required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize("data", [None, {"name": 'O"Brien <x>', "email": "bad", "colour": "r", "when": "2026-11-27"}])
def test_inputs_and_selects_render_as_django_templates_do(data):
    fast = Sample(data, renderer=FastRenderer())
    slow = Sample(data, renderer=DjangoTemplates())
    for name in Sample.base_fields:
        assert _same(str(fast[name])) == _same(str(slow[name])), name


def test_a_light_model_select_renders_as_a_model_select_does(school_a, class_oak, class_ash, class_b):
    queryset = SchoolClass.objects.filter(school=school_a)

    class Light(forms.Form):
        school_class = LightModelChoiceField(queryset=queryset, required=False, empty_label="Any class")

    class Plain(forms.Form):
        school_class = forms.ModelChoiceField(queryset=queryset, required=False, empty_label="Any class")

    for data in (None, {"school_class": str(class_ash.pk)}):
        light, plain = Light(data, renderer=FastRenderer()), Plain(data, renderer=FastRenderer())
        assert str(light["school_class"]) == str(plain["school_class"])
    assert f'value="{class_ash.pk}" selected' in str(Light({"school_class": str(class_ash.pk)})["school_class"])
    assert class_b.name not in str(Light()["school_class"])


def test_a_light_model_select_validates_against_its_queryset(school_a, class_oak, class_b):
    class Light(forms.Form):
        school_class = LightModelChoiceField(queryset=SchoolClass.objects.filter(school=school_a), required=False)

    good = Light({"school_class": str(class_oak.pk)})
    assert good.is_valid() and good.cleaned_data["school_class"] == class_oak
    other_school = Light({"school_class": str(class_b.pk)})
    assert not other_school.is_valid()
    assert "Select a valid choice" in other_school.errors["school_class"][0]
    assert not Light({"school_class": "not-a-uuid"}).is_valid()


def test_staff_labels_are_full_names_or_usernames(senco_a, teacher_a):
    nameless = get_user_model().objects.create_user(username="supply7")

    class Light(forms.Form):
        who = LightModelChoiceField(
            queryset=get_user_model().objects.order_by("username"),
            label_fields=STAFF_LABEL_FIELDS,
            label_from_values=full_name_or_username,
        )

    html = str(Light()["who"])
    assert f">{senco_a.get_full_name()}</option>" in html
    assert f'<option value="{nameless.pk}">supply7</option>' in html
    assert full_name_or_username("", "", "x") == "x"
