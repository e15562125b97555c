"""The Unique Pupil Number: python-stdnum's checks, with messages a school office can act on.

Each case is checked twice: through `normalise_upn` (the rule) and through PupilForm (what the person sees).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from stdnum.gb import upn as stdnum_upn

from pupils.forms import PupilForm
from pupils.upn import is_temporary_upn, normalise_upn, upn_warnings
from tests.factories import make_temporary_upn

CHECK_LETTER = "The check letter does not match the rest of the UPN: one character is probably mistyped."
FORMAT = "A UPN is a letter, then 11 digits, then a digit (or a letter for a temporary UPN)."


def _length(n: int) -> str:
    return f"A UPN has 13 characters; this one has {n}. Check it against the pupil's common transfer file."


def _unknown_la(la: str) -> str:
    return (
        f"The LA number in this UPN, {la}, is not one this system knows. The UPN has been accepted; "
        "check it against the pupil's common transfer file."
    )


def _upn(la: str, rest: str = "200005001") -> str:
    """A permanent UPN with a correct check letter for LA code `la`."""
    return stdnum_upn.calc_check_digit(la + rest) + la + rest


# An unknown LA (000) with a correct check letter, so the LA is the only thing wrong.
UNKNOWN_LA_UPN = _upn("000")

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


# --- LA codes: the project's own list, one edit extends it; an unknown code warns, never refuses -------------

# LA codes created since python-stdnum's 2011 list, each with a valid check letter: all accepted with no warning.
NEW_AUTHORITIES = ["838", "839", "940", "941", "942", "943", "944", "945"]


@pytest.mark.parametrize("la", NEW_AUTHORITIES)
def test_a_upn_from_an_authority_created_since_2011_is_accepted_without_a_warning(db, school_a, la):
    upn = _upn(la)
    assert not stdnum_upn.is_valid(upn)  # what the old list got wrong
    assert normalise_upn(upn) == upn
    assert upn_warnings(upn) == []
    form = _form(upn, school_a)
    form.is_valid()
    assert "upn" not in form.errors
    assert form.warnings == []


@pytest.mark.parametrize("la", ["835", "909", "928", "933"])
def test_a_upn_from_a_former_authority_stays_valid_for_life(la):
    assert upn_warnings(normalise_upn(_upn(la))) == []


def test_an_unknown_la_code_is_accepted_with_a_warning_the_form_shows(db, school_a):
    assert normalise_upn(UNKNOWN_LA_UPN) == UNKNOWN_LA_UPN
    assert upn_warnings(UNKNOWN_LA_UPN) == [_unknown_la("000")]
    form = _form(UNKNOWN_LA_UPN, school_a)
    form.is_valid()
    assert "upn" not in form.errors
    assert form.warnings == [_unknown_la("000")]


def test_an_unknown_la_code_with_a_wrong_check_letter_is_still_refused():
    wrong = ("B" if UNKNOWN_LA_UPN[0] != "B" else "C") + UNKNOWN_LA_UPN[1:]
    with pytest.raises(ValidationError) as raised:
        normalise_upn(wrong)
    assert raised.value.messages == [CHECK_LETTER]


def test_the_la_list_is_data_one_edit_extends(monkeypatch):
    from pupils import la_codes

    upn = _upn("999")
    assert upn_warnings(upn)
    monkeypatch.setitem(la_codes.LA_CODES, "999", "A new authority")
    assert upn_warnings(upn) == []


def test_the_la_list_holds_every_code_python_stdnum_knew():
    from pupils.la_codes import LA_CODES

    assert {f"{code:03d}" for code in stdnum_upn._la_numbers} <= LA_CODES.keys()


def test_adding_a_pupil_with_an_unknown_la_saves_and_shows_the_warning(login, senco_a, school_a):
    from pupils.models import Pupil

    client = login(senco_a)
    response = client.post(
        reverse("pupils:pupil-add"),
        {
            "upn": UNKNOWN_LA_UPN,
            "legal_forename": "Ada",
            "legal_surname": "Lovelace",
            "date_of_birth": "2017-03-01",
            "gender": "F",
            "year_group": "3",
            "first_language": "English",
            "admitted_on": "2022-09-01",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Pupil.objects.filter(upn=UNKNOWN_LA_UPN).exists()
    assert escape(_unknown_la("000")) in response.content.decode()
