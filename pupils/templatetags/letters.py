"""The letterhead and the signature of every letter and PDF: {% letterhead school dated=today %} and
{% signature school "senco" %} (templates/includes/letterhead.html and signature.html)."""

from django import template

from pupils.letters import logo_data_uri, signatory

register = template.Library()


@register.inclusion_tag("includes/letterhead.html", takes_context=True)
def letterhead(context, school, dated=None):
    # The logo goes into PDFs only: pages keep to the content security policy (images from our own address).
    return {"school": school, "dated": dated, "logo_src": logo_data_uri(school) if context.get("is_pdf") else ""}


@register.inclusion_tag("includes/signature.html")
def signature(school, role="senco", closing="Yours sincerely,"):
    return {"school": school, "signatory": signatory(school, role), "closing": closing}
