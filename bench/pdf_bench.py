"""Time the PDFs a SENCO downloads most: the annual review report (the slowest: sections A to K of the plan,
the check and the appeal statement), the review invitation (one letter per invitee) and a pupil passport.

Run against a database holding the demo school (it is loaded if absent):
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/pdf_bench.py
Prints, per document, the first render in the process (fonts loaded then) and the median of the next
BENCH_REPEATS (default 9) renders, split into the HTML (template) and the PDF (WeasyPrint) parts; then, for the
review report, the way PDFs were made before side by side with today's, interleaved: the page as the browser
shows it (base.html, the screen stylesheet's cascade, the browser's print sheet on top) with a new font
configuration per PDF, against print_base.html's one print stylesheet with fonts and stylesheets loaded once.
Wall-clock and CPU medians: on a shared machine the CPU time is the steadier figure.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django

django.setup()

import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

REPEATS = int(os.environ.get("BENCH_REPEATS", "9"))


def _demo():
    from demo.school import DEMO_URN
    from pupils.models import School

    call_command("migrate", verbosity=0)  # a new database has no tables to ask yet
    if not School.objects.filter(urn=DEMO_URN).exists():
        print("Loading the demo school first (seed_demo)...", flush=True)
        call_command("seed_demo", verbosity=0)
    return School.objects.get(urn=DEMO_URN)


def _time(label: str, render) -> None:
    """render() returns (html_seconds, pdf_seconds, pdf bytes)."""
    first_html, first_pdf, body = render()
    runs = [render() for _ in range(REPEATS)]
    html = statistics.median(r[0] for r in runs)
    pdf = statistics.median(r[1] for r in runs)
    total = statistics.median(r[0] + r[1] for r in runs)
    print(
        f"{label:<28} first {first_html + first_pdf:6.2f} s   median {total:5.2f} s "
        f"(HTML {html:5.2f} s, PDF {pdf:5.2f} s)   {len(body) // 1024} KB",
        flush=True,
    )


def _before_after(review, school, request, today) -> None:
    import weasyprint
    from django.template.loader import render_to_string

    from ehc import selectors
    from send_mis import pdf

    context = selectors.review_workspace(review, today=today)
    context.update(school=school, today=today)
    screen = render_to_string("ehc/review_report.html", {**context, "is_pdf": False}, request=request)
    printed = render_to_string("ehc/review_report.html", {**context, "is_pdf": True}, request=request)

    def before():
        weasyprint.HTML(
            string=screen, base_url="http://send-mis.invalid/", url_fetcher=pdf._fetcher(weasyprint), media_type="print"
        ).write_pdf(pdf_variant="pdf/ua-1")

    def after():
        pdf.html_to_pdf(printed)

    timings = {"before": ([], []), "after": ([], [])}
    for _ in range(REPEATS):
        for label, render in (("before", before), ("after", after)):
            wall, cpu = time.perf_counter(), time.process_time()
            render()
            timings[label][0].append(time.perf_counter() - wall)
            timings[label][1].append(time.process_time() - cpu)
    print("review report PDF, interleaved:")
    for label, (wall, cpu) in timings.items():
        print(f"  {label:<7} median wall {statistics.median(wall):5.2f} s   median CPU {statistics.median(cpu):5.2f} s")


def main() -> None:
    from django.template.loader import render_to_string

    from ehc import selectors
    from ehc.models import AnnualReview
    from pupils.models import Membership, Role
    from send_mis.pdf import html_to_pdf

    school = _demo()
    senco = Membership.objects.filter(school=school, role=Role.SENCO).first().user
    review = (
        AnnualReview.objects.filter(plan__pupil__school=school, held_on__isnull=False)
        .exclude(recommendation="")
        .order_by("-held_on")
        .first()
    )
    request = RequestFactory().get("/")
    request.user = senco
    request.session = {}
    today = timezone.localdate()

    def review_document(template: str):
        def render():
            started = time.perf_counter()
            context = selectors.review_workspace(review, today=today)
            context.update(school=school, today=today, is_pdf=True)
            html = render_to_string(template, context, request=request)
            middle = time.perf_counter()
            body = html_to_pdf(html)
            return middle - started, time.perf_counter() - middle, body

        return render

    print(f"PDF renders ({REPEATS} repeats after the first), review of {review.meeting_on:%d %B %Y}")
    _time("annual review report", review_document("ehc/review_report.html"))
    _time("review invitation letters", review_document("ehc/invitation_letter.html"))
    _before_after(review, school, request, today)

    from provision import pdf as provision_pdf
    from provision.models import Passport

    passport = Passport.objects.filter(pupil__school=school).select_related("pupil").first()
    if passport is not None:

        def render_passport():
            started = time.perf_counter()
            html = provision_pdf.passport_html(pupil=passport.pupil, passport=passport)
            middle = time.perf_counter()
            body = html_to_pdf(
                html, stylesheets=getattr(provision_pdf, "STYLESHEETS", [provision_pdf.PRINT_STYLESHEET])
            )
            return middle - started, time.perf_counter() - middle, body

        _time("pupil passport", render_passport)


if __name__ == "__main__":
    main()
