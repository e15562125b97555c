"""The Unique Pupil Number: format and check letter from python-stdnum (`stdnum.gb.upn`), the LA part from the
project's own list (pupils.la_codes), with messages a school office can act on.

A wrong length, format or check letter is a hard error: the UPN was mistyped. An LA code the list does not
know is only a warning (`upn_warnings`): python-stdnum's list dates from 2011 and would refuse valid UPNs
from authorities created since, and the project's list may lag a new one too.
"""

from django.core.exceptions import ValidationError
from stdnum import exceptions
from stdnum.gb import upn as stdnum_upn

from .la_codes import la_name


def normalise_upn(value: str) -> str:
    """Validate a UPN and return its compact upper-case form; lower case and spaces are forgiven.

    Rule (STATUTORY.md s.6): 13 characters, a check letter then 11 digits then a digit (or a letter for a
    temporary UPN); the check letter is the weighted sum of characters 2 to 13 mod 23. The LA code is not
    checked here (see ``upn_warnings``)."""
    compact = stdnum_upn.compact(value or "")
    if len(compact) != 13:
        raise ValidationError(
            "A UPN has 13 characters; this one has %(n)d. Check it against the pupil's common transfer file.",
            code="upn_length",
            params={"n": len(compact)},
        )
    if not compact[1:12].isdigit() or not compact[0].isalpha() or not compact[12].isalnum():
        raise ValidationError(
            "A UPN is a letter, then 11 digits, then a digit (or a letter for a temporary UPN).",
            code="upn_format",
        )
    try:
        check = stdnum_upn.calc_check_digit(compact[1:])
    except (exceptions.ValidationError, ValueError, KeyError, IndexError):
        raise ValidationError(
            "A UPN is a letter, then 11 digits, then a digit (or a letter for a temporary UPN).",
            code="upn_format",
        ) from None
    if check != compact[0]:
        raise ValidationError(
            "The check letter does not match the rest of the UPN: one character is probably mistyped.",
            code="upn_check_letter",
        )
    return compact


def upn_warnings(upn: str) -> list[str]:
    """Non-blocking warnings about a valid UPN: an LA code (characters 2 to 4) not in pupils.la_codes.

    The UPN is still saved: the list may not yet hold a newly created authority. Empty when all is well."""
    code = upn[1:4]
    if la_name(code) is None:
        return [
            f"The LA number in this UPN, {code}, is not one this system knows. The UPN has been accepted; "
            "check it against the pupil's common transfer file."
        ]
    return []


def is_temporary_upn(value: str) -> bool:
    """A temporary UPN ends in a letter (DfE guidance); the school replaces it when the permanent one comes."""
    return bool(value) and value[-1].isalpha()
