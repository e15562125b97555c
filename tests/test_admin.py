"""The Django admin: every model of every send-mis app is registered, each changelist, search and change
page opens for a superuser, nobody else gets in, and the logs and service-owned records are read-only."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from axes.models import AccessLog
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from pupils.models import Pupil, RegisterEntry, School
from tests.factories import UserFactory

APPS = ("pupils", "deadlines", "ehc", "provision", "records")
MODELS = [model for app in APPS for model in apps.get_app_config(app).get_models()]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_registered_with_a_list_display(model):
    assert admin.site.is_registered(model)
    assert admin.site._registry[model].list_display != ("__str__",)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_its_search_open_for_a_superuser(login, superuser, oak_entry, oak_concern, model):
    client = login(superuser)

    assert client.get(_admin_url(model, "changelist")).status_code == 200
    if admin.site._registry[model].search_fields:
        assert client.get(_admin_url(model, "changelist"), {"q": "Thistlewood"}).status_code == 200


def test_a_pupil_and_a_school_open_for_a_superuser(login, superuser, pupil_oak, oak_entry):
    client = login(superuser)

    assert client.get(_admin_url(Pupil, "change", pupil_oak.pk)).status_code == 200
    assert client.get(_admin_url(School, "change", pupil_oak.school_id)).status_code == 200
    assert client.get(_admin_url(RegisterEntry, "change", oak_entry.pk)).status_code == 200


@pytest.mark.parametrize("user", ["head_a", "senco_a"])
def test_school_staff_never_reach_the_admin_even_marked_as_staff(login, request, user):
    person = request.getfixturevalue(user)
    person.is_staff = True
    person.save()

    response = login(person).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", [LogEntry, AccessLog, RegisterEntry], ids=lambda m: m.__name__)
def test_logs_and_service_owned_records_are_read_only(rf, superuser, model):
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[model]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)


def test_a_register_entry_cannot_be_deleted_from_the_admin(rf, superuser):
    request = rf.get("/")
    request.user = superuser

    assert not admin.site._registry[RegisterEntry].has_delete_permission(request)
