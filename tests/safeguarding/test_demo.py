"""The demo's safeguarding: a deputy DSL, three children's files and a teacher's concern in the inbox."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pupils.models import Membership, Role
from safeguarding import selectors
from safeguarding.models import ChildFile, Entry, EntryKind, FileStatus, Share
from tests.safeguarding.conftest import stepped_client


@pytest.mark.django_db
def test_the_demo_school_has_its_safeguarding_files():
    # Seeded as of today: the share with the SENCO runs for a month from the seed's day, checked on the real clock.
    call_command("seed_demo", "--today", timezone.localdate().isoformat(), stdout=io.StringIO())
    users = get_user_model().objects
    deputy, dsl, senco, teacher = (users.get(username=name) for name in ("deputy", "dsl", "senco", "teacher"))
    assert Membership.objects.filter(user=deputy, role=Role.DEPUTY_DSL).exists()
    assert ChildFile.objects.count() >= 4  # the three files, the waiting concern, and the earlier concerns
    referral = Entry.objects.get(kind=EntryKind.REFERRAL)
    assert referral.followups.filter(kind=EntryKind.REFERRAL_RESPONSE).exists()
    assert Entry.objects.filter(file=referral.file, kind=EntryKind.OUTCOME).exists()
    no_referral = Entry.objects.get(kind=EntryKind.NO_REFERRAL)
    assert no_referral.decided_by == dsl and no_referral.file.status == FileStatus.MONITORING
    share = Share.objects.get(user=senco)
    [waiting] = selectors.concerns_new(share.file.school)
    assert waiting.recorded_by == teacher
    assert stepped_client(senco).get(reverse("safeguarding:file", args=[share.file_id])).status_code == 200
    assert stepped_client(deputy).get(reverse("safeguarding:dashboard")).status_code == 200
