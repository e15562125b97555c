"""PDFs under production static storage: pages link to hashed file names (CompressedManifestStaticFilesStorage),
which only the collected files hold. The renderer must find them, so the print stylesheet applies (its font and
its hiding of the site header), and every PDF is tagged (PDF/UA-1) with the page's language and title."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.template import Context, Template
from pypdf import PdfReader

from send_mis.pdf import html_to_pdf

PAGE = Template(
    '{% extends "base.html" %}{% block title %}Advice cover sheet{% endblock %}'
    "{% block content %}<h1>Advice for an EHC needs assessment</h1><p>Body text.</p>{% endblock %}"
)


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_pdf_under_production_storage_uses_the_hashed_print_stylesheet(production_static):
    html = PAGE.render(Context({}))
    assert "/static/css/send-mis." in html and 'send-mis.css"' not in html  # a hashed name

    reader = PdfReader(io.BytesIO(html_to_pdf(html)))

    text = reader.pages[0].extract_text()
    assert "Advice for an EHC needs" in text
    assert "Skip to main content" not in text  # the print stylesheet hides the site's header
    # Arial's stand-in (Liberation Sans where installed, else DejaVu Sans), not the default serif
    assert any(sans in name for name in _fonts(reader) for sans in ("Liberation-Sans", "DejaVu-Sans"))
    assert not any("Serif" in name for name in _fonts(reader))


def test_without_its_stylesheet_the_same_page_prints_the_header_in_serif(production_static):
    # What the fetcher did before it asked the storage: the hashed name was refused and the page went unstyled.
    html = PAGE.render(Context({})).replace("/static/css/send-mis.", "/static/css/missing.")

    reader = PdfReader(io.BytesIO(html_to_pdf(html)))

    assert "Skip to main content" in reader.pages[0].extract_text()
    assert any("Serif" in name for name in _fonts(reader))


def test_every_pdf_is_tagged_with_its_language_and_title(production_static):
    reader = PdfReader(io.BytesIO(html_to_pdf(PAGE.render(Context({})))))

    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en-GB"
    assert reader.metadata.title == "Advice cover sheet · send-mis"
