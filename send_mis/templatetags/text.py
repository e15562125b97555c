"""`{% load text %}`: labels in sentence case with the sector's abbreviations in capitals (send_mis.text)."""

from django import template

from send_mis.text import mid_sentence, sentence_case

register = template.Library()


@register.filter
def sentence(value) -> str:
    return sentence_case(value)


@register.filter(name="mid_sentence")
def mid_sentence_filter(value) -> str:
    return mid_sentence(value)
