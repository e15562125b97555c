"""The access matrix: every URL pattern of the whole resolver against every role, and anonymous, from one table.

Expected answers follow DESIGN.md section 2 and docs/ACCESS.md: a 404 for a record outside what the user may
see, a 403 for an action they may not take on a record (or a school page) they may know exists, a redirect to
the sign-in page for anyone not signed in. The table's keys are namespaced URL names; a URL added anywhere
without a row fails `test_every_url_of_the_resolver_has_a_row`, and a row left behind by a removed URL fails
it too. Each area's records come from tests/fixtures/.

The cast (tests/conftest.py): senco_a, teacher_a (3 Oak, pupil_oak's class), teacher_b (another class of
school A), head_a, governor_a and dsl_a of school A; senco_b of school B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from deadlines import services as deadline_services
from provision import services as provision_services
from reports import services as report_services
from reports.information import SECTION_KEYS
from reports.periods import current_term

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")
OK, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 403, 404, 405


@dataclass(frozen=True)
class Redirect:
    """A 302 to the named URL (reversed with the same record ids as the page asked for)."""

    to: str


class SignIn(Redirect):
    """The sign-in page, with `next` pointing back at the page asked for."""


LOGIN = SignIn("login")


@dataclass(frozen=True)
class Row:
    method: str
    expected: dict
    data: dict = field(default_factory=dict)


def _row(method: str, expected: dict, data: dict | None = None) -> Row:
    assert set(expected) == set(ROLES), f"a matrix row must name every role: {set(ROLES) ^ set(expected)}"
    return Row(method, expected, data or {})


def get(**expected) -> Row:
    return _row("get", expected)


def post(data: dict | None = None, **expected) -> Row:
    return _row("post", expected, data)


def roles(anonymous, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b) -> dict:
    return dict(zip(ROLES, (anonymous, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b), strict=True))


def everyone(answer) -> dict:
    return dict.fromkeys(ROLES, answer)


# --- The shapes most rows take ----------------------------------------------------------------------------

# School-wide pages answer for the user's own school (senco_b sees school B's).
STAFF_PAGE = roles(LOGIN, OK, OK, OK, OK, FORBIDDEN, OK, OK)
SENCO_PAGE = roles(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
LEADERS_PAGE = roles(LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK)  # SENCO, head, DSL
# pupil_oak's record: seen by the SENCO, head, DSL and their teacher; nobody else finds it.
PUPIL_SEEN = roles(LOGIN, OK, OK, MISSING, OK, MISSING, OK, MISSING)
PUPIL_SENCO = roles(LOGIN, OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING, FORBIDDEN, MISSING)
# The graduated approach on pupil_oak: their teacher works on it too; head and DSL view.
PUPIL_WORK = roles(LOGIN, OK, OK, MISSING, FORBIDDEN, MISSING, FORBIDDEN, MISSING)
# pupil_oak's EHC record: SENCO, head and DSL see it; their teacher may not (403).
EHC_VIEW = roles(LOGIN, OK, FORBIDDEN, MISSING, OK, MISSING, OK, MISSING)
EHC_SENCO = roles(LOGIN, OK, FORBIDDEN, MISSING, FORBIDDEN, MISSING, FORBIDDEN, MISSING)
# Costs, rates and the map's spreadsheet: the SENCO and the head.
MANAGERS_PAGE = roles(LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK)
# A provision-map group of pupil_oak's: its teacher records sessions; the SENCO and head manage places.
GROUP_RECORD = roles(LOGIN, OK, OK, MISSING, OK, MISSING, FORBIDDEN, MISSING)
GROUP_MANAGE = roles(LOGIN, OK, FORBIDDEN, MISSING, OK, MISSING, FORBIDDEN, MISSING)
# The head's own pages.
HEAD_PAGE = roles(LOGIN, *[FORBIDDEN] * 3, OK, *[FORBIDDEN] * 3)
# A pupil's disclosure log: the SENCO and the head; others who see the pupil are refused.
DISCLOSURES = roles(LOGIN, OK, FORBIDDEN, MISSING, OK, MISSING, FORBIDDEN, MISSING)
# Governors' reports: the SENCO, head and governors.
GOVERNORS_PAGE = roles(LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, OK)
EDITORS_PAGE = {**GOVERNORS_PAGE, "governor_a": FORBIDDEN}


def redirect_for(answers: dict, target: str, who: tuple[str, ...]) -> dict:
    """The same answers, with a redirect to `target` for the roles in `who` (a POST that worked)."""
    return {**answers, **{role: Redirect(target) for role in who}}


MATRIX: dict[str, Row] = {
    # --- The site's own pages and Django's sign-in pages -------------------------------------------------
    "home": get(
        **roles(
            LOGIN,
            Redirect("overview:dashboard"),
            Redirect("overview:today"),
            Redirect("overview:today"),
            Redirect("overview:dashboard"),
            Redirect("pupils:register-summary"),
            Redirect("safeguarding:dashboard"),
            Redirect("overview:dashboard"),
        )
    ),
    "login": get(**everyone(OK)),
    "logout": post(**everyone(Redirect("login"))),  # Django 5: sign-out is POST only
    "password_change": get(**{**everyone(OK), "anonymous": LOGIN}),
    "password_change_done": get(**{**everyone(OK), "anonymous": LOGIN}),
    "password_reset": get(**everyone(OK)),
    "password_reset_done": get(**everyone(OK)),
    "password_reset_confirm": get(**everyone(OK)),  # an invalid link says so
    "password_reset_complete": get(**everyone(OK)),
    # --- accounts: one's own sign-in and security, and the head's page for colleagues' --------------------------
    # The cast has no authenticator yet (the login fixture marks a second factor passed): setting one up opens,
    # entering a code sends them to set one up first, and recovery codes need an authenticator.
    "accounts:account": get(**{**everyone(OK), "anonymous": LOGIN}),
    "accounts:email-change": get(**{**everyone(OK), "anonymous": LOGIN}),
    "accounts:password-reset": get(**everyone(OK)),
    "accounts:two-factor-setup": get(**{**everyone(OK), "anonymous": LOGIN}),
    "accounts:two-factor-verify": get(**{**everyone(Redirect("accounts:two-factor-setup")), "anonymous": LOGIN}),
    "accounts:recovery-codes": post(**{**everyone(FORBIDDEN), "anonymous": LOGIN}),
    "accounts:staff-security": get(**HEAD_PAGE),
    # An empty form: the head is told what is missing; a reset or an unlock sends them back to the page.
    "accounts:school-security": post(**HEAD_PAGE),
    "accounts:staff-second-factor-reset": post(**redirect_for(HEAD_PAGE, "accounts:staff-security", ("head_a",))),
    "accounts:staff-unlock": post(**redirect_for(HEAD_PAGE, "accounts:staff-security", ("head_a",))),
    # --- the disclosure log of pupil_oak: the SENCO and the head ------------------------------------------------
    "disclosures:pupil-log": get(**DISCLOSURES),
    "disclosures:record": get(**DISCLOSURES),
    # --- overview (top layer) ----------------------------------------------------------------------------
    "overview:dashboard": get(**{**LEADERS_PAGE, "dsl_a": FORBIDDEN}),  # the DSL has their own (safeguarding)
    "overview:pupil": get(**PUPIL_SEEN),
    "overview:history": get(**PUPIL_SEEN),
    # --- pupils ------------------------------------------------------------------------------------------
    # POSTs school A's id: a school the user holds no role in is a 404.
    "pupils:school-choose": post(
        {"school": "{school_a}"}, **{**everyone(Redirect("home")), "anonymous": LOGIN, "senco_b": MISSING}
    ),
    "pupils:pupil-list": get(**STAFF_PAGE),
    "pupils:pupil-add": get(**SENCO_PAGE),
    "pupils:my-class": get(**STAFF_PAGE),
    "pupils:concern-queue": get(**SENCO_PAGE),
    # Triage is school-wide (403 to all but a SENCO); another school's SENCO cannot find school A's concern.
    "pupils:concern-triage": get(**{**SENCO_PAGE, "senco_b": MISSING}),
    "pupils:register-summary": get(**roles(LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, OK)),
    "pupils:statutory-settings": get(**SENCO_PAGE),
    "pupils:audit-log": get(**roles(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "pupils:concern-raise": get(**PUPIL_SEEN),
    "pupils:pupil-edit": get(**PUPIL_SENCO),
    "pupils:register-add": get(**PUPIL_SENCO),
    "pupils:register-change": get(**PUPIL_SENCO),
    "pupils:register-end": get(**PUPIL_SENCO),
    "pupils:grants": get(**PUPIL_SENCO),
    "pupils:grant-revoke": post(**redirect_for(PUPIL_SENCO, "pupils:grants", ("senco_a",))),
    # --- deadlines ---------------------------------------------------------------------------------------
    "deadlines:deadline-list": get(**STAFF_PAGE),
    "deadlines:deadline-calendar": get(**STAFF_PAGE),
    # pupil_oak's deadline: 404 to anyone who may not see it, 403 to those who see it but may not excuse it.
    "deadlines:deadline-excuse": get(**PUPIL_SENCO),
    "deadlines:deadline-excused": get(**PUPIL_SEEN),
    # Each person's own feed; a governor has no deadlines and so no feed.
    "deadlines:feed-settings": get(**STAFF_PAGE),
    "deadlines:feed-issue": post(**redirect_for(STAFF_PAGE, "deadlines:feed-settings", ROLES[1:5] + ROLES[6:])),
    "deadlines:feed-revoke": post(**redirect_for(STAFF_PAGE, "deadlines:feed-settings", ROLES[1:5] + ROLES[6:])),
    # senco_a's feed: no sign-in (calendar apps cannot), the token is the credential.
    "deadlines:feed": get(**everyone(OK)),
    # --- ehc -----------------------------------------------------------------------------------------------
    "ehc:index": get(**LEADERS_PAGE),
    "ehc:la-timeliness": get(**roles(LOGIN, OK, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, OK)),
    "ehc:overview": get(**EHC_VIEW),
    "ehc:plan-detail": get(**EHC_VIEW),
    "ehc:review-detail": get(**EHC_VIEW),
    "ehc:review-report": get(**EHC_VIEW),
    "ehc:review-report-pdf": get(**EHC_VIEW),
    "ehc:review-invitation": get(**EHC_VIEW),
    "ehc:review-invitation-pdf": get(**EHC_VIEW),
    "ehc:advice-cover": get(**EHC_VIEW),
    "ehc:advice-cover-pdf": get(**EHC_VIEW),
    "ehc:plan-summary": get(**{**EHC_VIEW, "teacher_a": OK}),
    # Only a teacher of the pupil confirms reading; the SENCO, head and DSL see the page but not this action.
    # One click from the register prompt: only those who change the register (the SENCO) may.
    "ehc:register-to-ehc": post(**redirect_for(EHC_SENCO, "ehc:overview", ("senco_a",))),
    "ehc:plan-confirm-read": post(**{**EHC_SENCO, "senco_a": FORBIDDEN, "teacher_a": Redirect("ehc:plan-summary")}),
    **{
        f"ehc:{name}": get(**EHC_SENCO)
        for name in (
            "assessment-new",
            "assessment-edit",
            "assessment-decision",
            "advice-request",
            "advice",
            "assessment-outcome",
            "reassessment-new",
            "reassessment-decision",
            "draft-new",
            "draft-edit",
            "draft-response",
            "plan-new",
            "plan-amend",
            "plan-cease",
            "review-new",
            "review-edit",
            "review-invitee-new",
            "review-invitations-sent",
            "review-advice-new",
            "review-advice-received",
            "review-circulated",
            "review-held",
            "review-outcome",
            "review-report-sent",
            "review-la-decision",
            "disagreement-new",
            "disagreement-edit",
            "plan-transfer-in",
            "review-role-not-applicable",
        )
    },
    # --- provision (the graduated approach) ------------------------------------------------------------------
    "provision:scores": get(**roles(LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    # 3 Oak's grid: its teacher and the SENCO; another teacher 403; another school cannot find the class.
    "provision:score-grid": get(**roles(LOGIN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING)),
    "provision:score-import": get(**SENCO_PAGE),
    "provision:year-set-up": post(**redirect_for(SENCO_PAGE, "provision:scores", ("senco_a", "senco_b"))),
    "provision:settings": get(**SENCO_PAGE),
    "provision:subject-add": get(**SENCO_PAGE),
    "provision:point-add": get(**SENCO_PAGE),
    "provision:flag-list": get(**STAFF_PAGE),
    "provision:flags-compute": post(**redirect_for(SENCO_PAGE, "provision:flag-list", ("senco_a", "senco_b"))),
    "provision:flag-dismiss": get(**PUPIL_WORK),
    "provision:flag-concern": get(**PUPIL_WORK),
    "provision:flag-plan": post(**redirect_for(PUPIL_WORK, "provision:plan-detail", ("senco_a", "teacher_a"))),
    "provision:pupil": get(**PUPIL_SEEN),
    "provision:plan-start": get(**PUPIL_WORK),
    "provision:plan-detail": get(**PUPIL_SEEN),
    "provision:plan-parents-told": get(**PUPIL_WORK),
    "provision:plan-end": get(**PUPIL_WORK),
    "provision:cycle-assess": get(**PUPIL_WORK),
    "provision:cycle-plan": get(**PUPIL_WORK),
    "provision:cycle-note": get(**PUPIL_WORK),
    "provision:cycle-review": get(**PUPIL_WORK),
    # Agreeing a plan is the SENCO's.
    "provision:cycle-agree": post(
        **{**redirect_for(PUPIL_WORK, "provision:plan-detail", ("senco_a",)), "teacher_a": FORBIDDEN}
    ),
    "provision:meeting-add": get(**PUPIL_WORK),
    "provision:meetings-due": get(**STAFF_PAGE),
    "provision:passport": get(**PUPIL_SEEN),
    "provision:passport-edit": get(**PUPIL_WORK),
    "provision:passport-pdf": get(**PUPIL_SEEN),
    "provision:passports": get(**STAFF_PAGE),
    "provision:check-two": get(**PUPIL_WORK),
    # Individual healthcare plans: the pupil's teachers see them (they need to know); the SENCO and the class
    # teacher record them.
    "provision:healthcare-plans": get(**PUPIL_SEEN),
    "provision:healthcare-plan-new": get(**PUPIL_WORK),
    "provision:healthcare-plan-review": get(**PUPIL_WORK),
    # --- the provision map (provision) -------------------------------------------------------------------------
    # The oak group holds pupil_oak (3 Oak); teacher_b neither leads it nor teaches its pupils. Costs and rates:
    # the SENCO and the head; the budget: the head.
    "maps:map": get(**LEADERS_PAGE),
    "maps:impact": get(**LEADERS_PAGE),
    "maps:map-xlsx": get(**MANAGERS_PAGE),
    "maps:provision-add": get(**MANAGERS_PAGE),
    "maps:rates": get(**MANAGERS_PAGE),
    "maps:costs": get(**MANAGERS_PAGE),
    "maps:group-add": get(**MANAGERS_PAGE),
    "maps:budget": get(**HEAD_PAGE),
    "maps:catalogue": get(**STAFF_PAGE),
    "maps:timetable": get(**STAFF_PAGE),
    "maps:class": get(**STAFF_PAGE),
    "maps:provision-edit": get(**{**MANAGERS_PAGE, "senco_b": MISSING}),
    "maps:group": get(**PUPIL_SEEN),
    "maps:group-week": get(**GROUP_RECORD),
    "maps:group-scores": get(**GROUP_RECORD),
    "maps:group-allocate": get(**GROUP_MANAGE),
    "maps:place-end": get(**GROUP_MANAGE),
    "maps:place-support": get(**GROUP_MANAGE),
    "maps:pupil": get(**PUPIL_SEEN),
    "maps:pupil-costed": get(**GROUP_MANAGE),
    "maps:pupil-costed-xlsx": get(**GROUP_MANAGE),
    "maps:pupil-costed-csv": get(**GROUP_MANAGE),
    "maps:pupil-costed-pdf": get(**GROUP_MANAGE),
    # --- EHC section F against delivery (overview) ---------------------------------------------------------------
    "overview:section-f": get(**EHC_VIEW),
    "overview:section-f-add": get(**EHC_SENCO),
    # --- records (top layer): a pupil's records past retention, destroyed by the head with a reason -----------
    "records:retention": get(**HEAD_PAGE),
    # pupil_oak is within retention: the head is sent back to the list, told why (nothing destroyed, see
    # tests/records/test_retention.py); others who see the pupil are refused; 404 for the rest.
    "records:records-destroy": post(
        **roles(LOGIN, FORBIDDEN, FORBIDDEN, MISSING, Redirect("records:retention"), MISSING, FORBIDDEN, MISSING)
    ),
    # --- reports (top layer) ---------------------------------------------------------------------------------
    # Governors' report: governor, head and SENCO. The SEN information report: the head or SENCO edits, a
    # governor approves, all three read every version; the approved version is public. National figures: the
    # head. The census check names pupils: the SENCO and the head.
    "reports:governors": get(**GOVERNORS_PAGE),
    "reports:governors-pdf": get(**GOVERNORS_PAGE),
    "reports:governors-csv": get(**GOVERNORS_PAGE),
    "reports:national-figures": get(**HEAD_PAGE),
    "reports:information": get(**GOVERNORS_PAGE),
    "reports:information-edit": get(**EDITORS_PAGE),
    # School A's version: senco_b reads reports of school B, where it is not (404).
    "reports:information-version": get(**{**GOVERNORS_PAGE, "senco_b": MISSING}),
    "reports:information-approve": post(
        **roles(LOGIN, *[FORBIDDEN] * 4, Redirect("reports:information-version"), FORBIDDEN, FORBIDDEN)
    ),
    "reports:census": get(**EDITORS_PAGE),
    "reports:census-csv": get(**EDITORS_PAGE),
    "reports:public-information": get(**everyone(OK)),
    "reports:public-information-pdf": get(**everyone(OK)),
    # --- subject access export (records, top layer): the head alone; 404 where the pupil is out of sight --------
    "records:subject-access": get(**roles(LOGIN, FORBIDDEN, FORBIDDEN, MISSING, OK, MISSING, FORBIDDEN, MISSING)),
    # --- provision map: withdrawing a session recorded by mistake (as recording sessions) --------------------
    "maps:session-withdraw": get(**GROUP_RECORD),
    # --- the annual review report with section F against delivery (overview): as the EHC area's report -------
    "overview:review-report": get(**EHC_VIEW),
    "overview:review-report-pdf": get(**EHC_VIEW),
    # --- The working day: each member of staff's to-do list ----------------------------------------------
    "overview:today": get(**STAFF_PAGE),
}

# Answered before routing (send_mis.health.HealthCheckMiddleware): a path, not a URL name.
FIXED_PATHS = {"healthz": ("/healthz", get(**everyone(OK)))}
# Django's admin is for superusers only and has its own tests; its patterns are left out of the walk.
EXCLUDED_NAMESPACES = {"admin"}


def resolver_patterns() -> dict[str, list[str]]:
    """Every named URL pattern of the whole resolver, namespaced as it is reversed, with its parameter names."""
    found: dict[str, list[str]] = {}

    def walk(patterns, prefix: str, inherited: list[str]) -> None:
        for pattern in patterns:
            own = list(getattr(pattern.pattern, "converters", {}))
            if isinstance(pattern, URLResolver):
                if pattern.namespace in EXCLUDED_NAMESPACES:
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace, inherited + own)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[prefix + pattern.name] = inherited + own

    walk(get_resolver().url_patterns, "", [])
    return found


PATTERNS = resolver_patterns()


def converters_of(name: str) -> list[str]:
    return PATTERNS[name]


@pytest.fixture
def world(
    request,
    school_a,
    pupil_oak,
    oak_entry,
    oak_concern,
    oak_grant,
    class_oak,
    make_deadline,
    today,
    ehc_assessment,
    ehc_plan,
    ehc_review,
    ehc_review_advice,
    ehc_draft,
    ehc_reassessment,
    ehc_disagreement,
    provision_flag,
    provision_plan,
    provision_passport,
    provision_points,
    oak_session,
    oak_group,
    reading,
):
    """The whole cast, and one record of every kind the URLs point at, each about pupil_oak (3 Oak)."""
    users = {name: request.getfixturevalue(name) for name in ROLES if name != "anonymous"}
    users["anonymous"] = None
    deadline = make_deadline(pupil_oak, today + timedelta(days=3))
    token = deadline_services.calendar_feed_token_issue(user=users["senco_a"], actor=users["senco_a"])
    common = {"pupil_id": pupil_oak.pk}
    ids = {
        "": {"uidb64": "MQ", "token": "set-password"},
        "pupils": {**common, "entry_id": oak_entry.pk, "grant_id": oak_grant.pk, "concern_id": oak_concern.pk},
        "records": common,
        "overview": {**common, "plan_id": ehc_plan.pk, "review_id": ehc_review.pk},
        "maps": {
            **common,
            "group_id": oak_group.pk,
            "allocation_id": oak_group.allocations.get().pk,
            "provision_id": reading.pk,
            "session_id": oak_session.pk,
        },
        "disclosures": common,
        "deadlines": {"deadline_id": deadline.pk, "token": token.token},
        "ehc": {
            **common,
            "assessment_id": ehc_assessment.pk,
            "plan_id": ehc_plan.pk,
            "review_id": ehc_review.pk,
            "advice_id": ehc_review_advice.pk,
            "draft_id": ehc_draft.pk,
            "request_id": ehc_reassessment.pk,
            "disagreement_id": ehc_disagreement.pk,
        },
        "provision": {
            **common,
            "class_id": class_oak.pk,
            "point_id": provision_points[-1].pk,
            "flag_id": provision_flag.pk,
            "plan_id": provision_plan.pk,
            "cycle_id": provision_plan.cycles.get().pk,
            "healthcare_plan_id": provision_services.healthcare_plan_record(
                pupil=pupil_oak,
                condition="Asthma",
                plan_on=date(2025, 9, 8),
                review_on=date(2026, 9, 7),
                held_by="School office and class",
                today=date(2025, 9, 8),
                actor=users["senco_a"],
            ).pk,
        },
    }
    today = timezone.localdate()
    year = current_term(today).academic_year
    texts = {key: f"The school's words for {key}." for key in SECTION_KEYS}
    approved = report_services.information_report_save(
        school=school_a, academic_year=year, texts=texts, today=today, actor=users["senco_a"]
    )
    report_services.information_report_approve(version=approved, today=today, actor=users["governor_a"])
    draft = report_services.information_report_save(
        school=school_a, academic_year=year, texts=texts, today=today, actor=users["head_a"]
    )
    ids["reports"] = {"academic_year": year, "version_id": draft.pk, "key": "register-needs", "urn": school_a.urn}
    placeholders = {"school_a": str(school_a.pk)}
    return users, ids, placeholders


@pytest.fixture(autouse=True)
def _no_real_pdf_render(monkeypatch):
    """Access is what this module checks; each area's tests render real PDFs."""
    monkeypatch.setattr("reports.pdf.html_to_pdf", lambda html: b"%PDF-1.7 access-matrix stand-in")


def _kwargs(name: str, ids: dict) -> dict:
    namespace = name.split(":")[0] if ":" in name else ""
    return {key: ids[namespace][key] for key in converters_of(name)}


def _url(name: str, ids: dict) -> str:
    return reverse(name, kwargs=_kwargs(name, ids))


def _answer_mismatch(url_name: str, role: str, world, client) -> str | None:
    """Ask one URL as one role, inside a savepoint rolled back afterwards (a POST changes nothing for the next
    URL); the mismatch described, or None when the answer is the one the table expects."""
    _users, ids, placeholders = world
    if url_name in FIXED_PATHS:
        url, row = FIXED_PATHS[url_name]
    else:
        url, row = _url(url_name, ids), MATRIX[url_name]
    expected = row.expected[role]
    data = {key: value.format(**placeholders) for key, value in row.data.items()}
    with transaction.atomic():
        response = getattr(client, row.method)(url, data)
        transaction.set_rollback(True)
    where = f"{row.method.upper()} {url_name} as {role}"
    if not isinstance(expected, Redirect):
        return None if response.status_code == expected else f"{where}: {response.status_code}, expected {expected}"
    if response.status_code != 302:
        return f"{where}: {response.status_code}, expected a redirect to {expected.to}"
    target = urlsplit(response.url)
    if isinstance(expected, SignIn):
        ok = target.path == reverse("login") and f"next={url}" in response.url.replace("%2F", "/")
        return None if ok else f"{where}: redirected to {response.url}, expected the sign-in page"
    namespace = url_name.split(":")[0] if ":" in url_name else ""
    kwargs = {key: ids.get(namespace, {}).get(key) for key in converters_of(expected.to)}
    if all(kwargs.values()):
        ok = target.path == reverse(expected.to, kwargs=kwargs)
    else:  # a new record's page: the right view, whatever its id
        ok = target.path.startswith(reverse(expected.to, kwargs=kwargs).split("None")[0])
    return None if ok else f"{where}: redirected to {target.path}, expected {expected.to}"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_design_says(world, login, role):
    """One role at a time over every URL of the table (the world is built once per role, not once per URL)."""
    # A fresh sign-in per URL: signing out (a row of the table) must not leave the next URL anonymous.
    mismatches = [
        mismatch
        for url_name in [*MATRIX, *FIXED_PATHS]
        if (mismatch := _answer_mismatch(url_name, role, world, login(world[0][role]))) is not None
    ]
    assert mismatches == [], "\n".join(mismatches)


def test_every_url_of_the_resolver_has_a_row():
    # The safeguarding rows need four more people (a deputy DSL, another school's DSL, staff with a live and an
    # ended share) and a recent second factor: they live in tests/safeguarding/test_access_matrix.py, which
    # asks the same eight roles as this table and those four, one row per URL.
    # The school set-up and leavers' rows need a superuser with no school, a term, a class, a colleague's
    # signed reference, an import and a pupil who has left: tests/pupils/test_school_admin_access_matrix.py
    # and tests/records/test_leavers.py ask the same eight roles (and the superuser), one row per URL.
    from tests.pupils.test_school_admin_access_matrix import MATRIX as SCHOOL_ADMIN
    from tests.records.test_leavers import MATRIX as LEAVERS
    from tests.safeguarding.test_access_matrix import MATRIX as SAFEGUARDING

    names = set(PATTERNS)
    covered = set(MATRIX) | {row[0] for row in SAFEGUARDING} | set(SCHOOL_ADMIN) | set(LEAVERS)
    assert names - covered == set(), "URLs without a row in the access matrix"
    assert set(MATRIX) - names == set(), "matrix rows for URLs that no longer exist"


@pytest.mark.parametrize("url_name", [name for name, row in MATRIX.items() if row.method == "post"])
def test_post_only_urls_refuse_a_get_from_a_signed_in_user(world, login, senco_a, url_name):
    _, ids, _ = world
    assert login(senco_a).get(_url(url_name, ids)).status_code == NOT_ALLOWED
