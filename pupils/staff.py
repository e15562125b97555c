"""Staff of a school and their roles: invitations, role changes, removal. Every write is audited (Membership
and a class's teachers are registered with auditlog) and names its actor.

An invitation is a signed, expiring link (django.core.signing.TimestampSigner) to a page where the invitee sets
their password. The link carries a fingerprint of the user's current password hash, so it works once: setting
a password changes the hash and the link is spent.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Membership, Role, School, SchoolClass
from .services import audited

INVITATION_SALT = "send_mis.staff.invitation"


def _fingerprint(user: AbstractBaseUser) -> str:
    return salted_hmac(INVITATION_SALT, user.password).hexdigest()[:20]


def invitation_token(user: AbstractBaseUser) -> str:
    """The signed token of an invitation link for `user`, valid until used or STAFF_INVITATION_MAX_AGE passes."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object({"u": user.pk, "f": _fingerprint(user)})


def invitation_user(token: str) -> AbstractBaseUser | None:
    """The user an unexpired, unused invitation token was made for, or None (tampered, expired or spent)."""
    try:
        payload = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(
            token, max_age=settings.STAFF_INVITATION_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    return user if constant_time_compare(payload.get("f", ""), _fingerprint(user)) else None


def heads_of(school: School) -> set[int]:
    return set(Membership.objects.filter(school=school, role=Role.HEAD).values_list("user_id", flat=True))


def sencos_of(school: School):
    """The school's active SENCOs, by name."""
    ids = Membership.objects.filter(school=school, role=Role.SENCO).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "username")


def staff_invite(
    *,
    school: School,
    email: str,
    first_name: str,
    last_name: str,
    roles: Iterable[str],
    classes: Iterable[SchoolClass] = (),
    actor: AbstractBaseUser,
) -> tuple[AbstractBaseUser, bool]:
    """Give a person roles in the school, making their account if they have none (matched by email, so a trust's
    SEND lead keeps one account across schools). A new account has no password: the invitation email's link
    lets them set one. Returns the user and whether they need that link."""
    email = get_user_model().objects.normalize_email(email).strip().lower()
    roles = set(roles)
    if not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    user_model = get_user_model()
    with audited(actor):
        user = user_model.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_model(username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip())
            user.set_unusable_password()
            user.full_clean()
            user.save()
        elif Membership.objects.filter(school=school, user=user).exists():
            raise ValidationError({"email": "This person is already on the school's staff: change their roles."})
        staff_roles_set(school=school, user=user, roles=roles, classes=classes, actor=actor)
        needs_link = not user.has_usable_password()
        if needs_link:
            from .staff_emails import invitation_message

            message = invitation_message(user=user, school=school, roles=roles, invited_by=actor)
            transaction.on_commit(lambda: message.send())
    return user, needs_link


def staff_roles_set(
    *,
    school: School,
    user: AbstractBaseUser,
    roles: Iterable[str],
    classes: Iterable[SchoolClass] = (),
    actor: AbstractBaseUser,
) -> None:
    """Make the user's roles in the school exactly `roles`, and the classes they teach there exactly `classes`
    (none unless they are a teacher). The school's last headteacher keeps the role: another head is appointed
    first. No roles at all removes the person from the school's staff."""
    wanted = {Role(role) for role in roles}
    classes = list(classes) if Role.TEACHER in wanted else []
    if any(c.school_id != school.pk for c in classes):
        raise ValidationError({"classes": "Choose classes of this school."})
    with audited(actor):
        held = Membership.objects.select_for_update().filter(school=school, user=user)
        current = {Role(m.role) for m in held}
        heads = heads_of(school)
        if Role.HEAD in current and Role.HEAD not in wanted and heads == {user.pk}:
            raise ValidationError(
                {"roles": "This is the school's only headteacher: give another person the head's role first."}
            )
        held.exclude(role__in=wanted).delete()  # one audit row per membership removed
        for role in sorted(wanted - current):
            Membership.objects.create(school=school, user=user, role=role)
        taught = set(school.classes.filter(teachers=user))
        for school_class in taught - set(classes):
            school_class.teachers.remove(user)
        for school_class in set(classes) - taught:
            school_class.teachers.add(user)


def staff_remove(*, school: School, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Take every role in the school from the user (and their classes). Their account stays, for the audit
    trail and their roles in other schools; the school's last head cannot be removed."""
    staff_roles_set(school=school, user=user, roles=[], actor=actor)


def invitation_accept(*, user: AbstractBaseUser, password: str) -> AbstractBaseUser:
    """The invitee sets their password (validated by the form); the link is spent with it."""
    with audited(user):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


# --- Reads --------------------------------------------------------------------------------------------------

STAFF_REF_SALT = "send_mis.staff.ref"


def staff_ref(user: AbstractBaseUser) -> str:
    """An opaque, unforgeable reference to a member of staff for URLs (user ids are sequential)."""
    return signing.Signer(salt=STAFF_REF_SALT).sign(str(user.pk))


def staff_member_of(school: School, ref: str) -> AbstractBaseUser | None:
    """The member of the school's staff a reference names, or None (bad reference, or not on this staff)."""
    try:
        user_id = signing.Signer(salt=STAFF_REF_SALT).unsign(ref)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id, memberships__school=school).distinct().first()


def staff_list(school: School) -> list[dict]:
    """Everyone holding a role in the school, by name, with their roles, the classes they teach there and
    whether they have set a password yet. Three queries whatever the size of the staff."""
    users = (
        get_user_model()
        .objects.filter(memberships__school=school)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    roles: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(school=school).values_list("user_id", "role"):
        roles.setdefault(user_id, []).append(Role(role).label)
    classes: dict[int, list[str]] = {}
    for user_id, name in SchoolClass.teachers.through.objects.filter(schoolclass__school=school).values_list(
        "user_id", "schoolclass__name"
    ):
        classes.setdefault(user_id, []).append(name)
    return [
        {
            "user": user,
            "ref": staff_ref(user),
            "roles": sorted(roles.get(user.pk, [])),
            "classes": sorted(classes.get(user.pk, [])),
            "is_invited": not user.has_usable_password(),
        }
        for user in users
    ]
