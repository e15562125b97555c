"""Second factors for the cast: enrol a user's authenticator app and compute its codes as the phone would."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pupils import account_services


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or `steps_ahead` periods of 30 seconds later: a code
    already used in this period is refused, so a second sign-in within it uses the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def enrol():
    """enrol(user) -> (authenticator device, recovery codes): the user has finished setting up their app."""

    def _enrol(user) -> tuple[TOTPDevice, list[str]]:
        device = account_services.second_factor_enrolment_start(user=user)
        codes = account_services.second_factor_enrolment_confirm(
            device=device, code=totp_code(device), school=None, actor=user
        )
        assert codes is not None
        device.refresh_from_db()
        return device, codes

    return _enrol
