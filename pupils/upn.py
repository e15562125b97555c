"""The Unique Pupil Number, checked by python-stdnum (`stdnum.gb.upn`), with messages a person can act on."""

from django.core.exceptions import ValidationError
from stdnum import exceptions
from stdnum.gb import upn as stdnum_upn


def normalise_upn(value: str) -> str:
    """Validate a UPN and return its compact upper-case form; lower case and spaces are forgiven."""
    compact = stdnum_upn.compact(value or "")
    try:
        return stdnum_upn.validate(compact)
    except exceptions.InvalidLength:
        raise ValidationError(
            "A UPN has 13 characters; this one has %(n)d. Check it against the pupil's common transfer file.",
            code="upn_length",
            params={"n": len(compact)},
        )
    except exceptions.InvalidFormat:
        raise ValidationError(
            "A UPN is a letter, then 11 digits, then a digit (or a letter for a temporary UPN).",
            code="upn_format",
        )
    except exceptions.InvalidComponent:
        raise ValidationError(
            "The digits after the first letter must start with a real LA number; %(la)s is not one.",
            code="upn_la",
            params={"la": compact[1:4]},
        )
    except exceptions.InvalidChecksum:
        raise ValidationError(
            "The check letter does not match the rest of the UPN: one character is probably mistyped.",
            code="upn_check_letter",
        )


def is_temporary_upn(value: str) -> bool:
    """A temporary UPN ends in a letter (DfE guidance); the school replaces it when the permanent one comes."""
    return bool(value) and value[-1].isalpha()
