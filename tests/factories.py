"""factory_boy factories for everyone and everything outside the named cast in conftest.py.

UPNs come from one counter shared by PupilFactory and the bulk `make_pupils` fixture, so they are valid
(python-stdnum's check letter) and never collide within a test database.
"""

from __future__ import annotations

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from stdnum.gb import upn as stdnum_upn

from pupils.models import Gender, Membership, Phase, Pupil, Role, School, SchoolClass

_upn_serials = itertools.count()


def make_upn(serial: int, *, la: str = "892", establishment: str = "2000") -> str:
    """A valid permanent UPN: check letter + LA (3) + establishment (4) + year (2) + serial (3).

    stdnum's `calc_check_digit` takes the 12 characters after the check letter (`number[1:]`)."""
    year, number = divmod(serial, 1000)
    body = f"{la}{establishment}{10 + year:02d}{number:03d}"
    assert len(body) == 12, body
    return stdnum_upn.calc_check_digit(body) + body


def next_upn(*, la: str = "892", establishment: str = "2000") -> str:
    return make_upn(next(_upn_serials), la=la, establishment=establishment)


def make_temporary_upn(
    *, la: str = "892", establishment: str = "2000", year: str = "26", serial: str = "01", letter: str = "A"
) -> str:
    """A valid temporary UPN: like a permanent one, but a two-digit serial and a final letter."""
    body = f"{la}{establishment}{year}{serial}{letter}"
    assert len(body) == 12, body
    return stdnum_upn.calc_check_digit(body) + body


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    # Unusable, so no slow hashing: tests sign in with client.force_login (django-axes is installed).
    password = factory.LazyFunction(lambda: make_password(None))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test School {n}")
    urn = factory.Sequence(lambda n: f"{300000 + n}")
    la_code = "892"
    la_name = "Nottingham City"
    phase = Phase.PRIMARY


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = 3

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.add(*extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.LazyFunction(next_upn)
    legal_forename = factory.Faker("first_name", locale="en_GB")
    legal_surname = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(2017, 3, 14)
    gender = Gender.FEMALE
    year_group = factory.LazyAttribute(lambda p: p.school_class.year_group if p.school_class else 3)
    school_class = None
    admitted_on = date(2021, 9, 1)
