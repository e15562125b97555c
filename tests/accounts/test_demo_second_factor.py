"""The demo accounts have a second factor a newcomer can use: the documented demo key and recovery codes."""

from __future__ import annotations

import io
from base64 import b32decode

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.seed_demo import DEMO_RECOVERY_CODES, DEMO_TOTP_SECRET, _demo_second_factor

pytestmark = pytest.mark.django_db


def test_a_demo_account_signs_in_with_the_documented_key(senco_a):
    _demo_second_factor(senco_a)
    device = TOTPDevice.objects.get(user=senco_a)
    client = Client()
    client.force_login(senco_a)

    out = io.StringIO()
    call_command("seed_demo", "--code", stdout=out)

    assert device.bin_key == b32decode(DEMO_TOTP_SECRET)
    assert out.getvalue().strip() == f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"
    response = client.post(reverse("accounts:two-factor-verify"), {"code": out.getvalue().strip()})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_each_demo_recovery_code_works_once_per_account(senco_a):
    _demo_second_factor(senco_a)
    client = Client()
    client.force_login(senco_a)
    verify = reverse("accounts:two-factor-verify")

    assert client.post(verify, {"code": DEMO_RECOVERY_CODES[0]}).status_code == 302
    assert client.post(verify, {"code": DEMO_RECOVERY_CODES[0]}).status_code == 200
