"""The Unique Pupil Number: python-stdnum's checks, with messages a school office can act on.

Each case is checked twice: through `normalise_upn` (the rule) and through PupilForm (what the person sees).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from stdnum.gb import upn as stdnum_upn

from pupils.forms import PupilForm
from pupils.upn import is_temporary_upn, normalise_upn
from tests.factories import make_temporary_upn

CHECK_LETTER = "The check letter does not match the rest of the UPN: one character is probably mistyped."
FORMAT = "A UPN is a letter, then 11 digits, then a digit (or a letter for a temporary UPN)."


def _length(n: int) -> str:
    return f"A UPN has 13 characters; this one has {n}. Check it against the pupil's common transfer file."


def _unknown_la(la: str) -> str:
    return f"The digits after the first letter must start with a real LA number; {la} is not one."


# An unknown LA (000) with a correct check letter, so the LA is the only thing wrong.
UNKNOWN_LA_UPN = stdnum_upn.calc_check_digit("000200005001") + "000200005001"

ACCEPTED = [
    pytest.param("B801200005001", "B801200005001", id="valid"),
    pytest.param("b801200005001", "B801200005001", id="lower_case_is_upper_cased"),
    pytest.param("B801 2000 05001", "B801200005001", id="spaces_are_removed"),
    pytest.param("  B801200005001 ", "B801200005001", id="surrounding_spaces_are_removed"),
]

REFUSED = [
    pytest.param("A801200005001", CHECK_LETTER, id="wrong_check_letter"),
    pytest.param("B80120000500", _length(12), id="one_character_short"),
    pytest.param("B8012000050011", _length(14), id="one_character_long"),
    pytest.param("X80120000A001", FORMAT, id="letter_among_the_digits"),
    pytest.param(UNKNOWN_LA_UPN, _unknown_la("000"), id="unknown_la"),
]


def _form(upn: str, school) -> PupilForm:
    return PupilForm(data={"upn": upn}, school=school)


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_a_valid_upn_is_accepted_in_its_compact_upper_case_form(typed, stored):
    assert normalise_upn(typed) == stored


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_the_pupil_form_accepts_a_valid_upn_however_it_is_typed(db, school_a, typed, stored):
    form = _form(typed, school_a)
    form.is_valid()

    assert "upn" not in form.errors
    assert form.cleaned_data["upn"] == stored


@pytest.mark.parametrize(("typed", "message"), REFUSED)
def test_an_invalid_upn_is_refused_with_a_message_saying_what_is_wrong(typed, message):
    with pytest.raises(ValidationError) as raised:
        normalise_upn(typed)

    assert raised.value.messages == [message]


@pytest.mark.parametrize(("typed", "message"), REFUSED)
def test_the_pupil_form_shows_the_upn_message(db, school_a, typed, message):
    form = _form(typed, school_a)

    assert not form.is_valid()
    assert form.errors["upn"] == [message]


def test_a_temporary_upn_ending_in_a_letter_is_accepted_and_known_as_temporary(db, school_a):
    temporary = make_temporary_upn(year="26", serial="01", letter="A")
    assert len(temporary) == 13 and temporary[1:12].isdigit() and temporary[-1] == "A"

    assert normalise_upn(temporary) == temporary
    assert is_temporary_upn(temporary)
    form = _form(temporary.lower(), school_a)
    form.is_valid()
    assert "upn" not in form.errors
    assert form.cleaned_data["upn"] == temporary


def test_a_permanent_upn_is_not_temporary():
    assert not is_temporary_upn("B801200005001")
    assert not is_temporary_upn("")


def test_a_temporary_upn_with_a_wrong_check_letter_is_refused():
    temporary = make_temporary_upn()
    wrong = ("B" if temporary[0] != "B" else "C") + temporary[1:]

    with pytest.raises(ValidationError) as raised:
        normalise_upn(wrong)

    assert raised.value.messages == [CHECK_LETTER]


def test_an_empty_upn_is_required_by_the_form(db, school_a):
    form = _form("", school_a)

    assert not form.is_valid()
    assert form.errors["upn"] == ["This field is required."]


def test_a_upn_already_held_by_another_pupil_is_refused(db, school_a, pupil_oak):
    form = _form(pupil_oak.upn.lower(), school_a)

    assert not form.is_valid()
    assert form.errors["upn"] == ["Pupil with this UPN already exists."]
