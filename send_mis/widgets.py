"""The form renderer: Django's, with the commonest widgets (inputs and selects) built in Python.

Django renders every widget through its templates, and a select's every option through two more template
includes: a filter of 700 classes or staff costs about 100 ms a page, and even the pupil list's ten small filters
cost a third of the page. FastRenderer builds the same markup as Django's templates for text-like inputs,
selects and their options directly (the same attributes, escaping and selected options; only the whitespace
between options differs) and leaves every other widget (checkboxes, radios, files, dates split in parts) to the
templates. Settings: ``FORM_RENDERER = "send_mis.widgets.FastRenderer"``.

The options themselves: a ModelChoiceField builds a model instance per option before any rendering;
``LightModelChoiceField`` reads only the key and the label's columns.
"""

from __future__ import annotations

from django.forms import ModelChoiceField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# The input templates that are exactly django/forms/widgets/input.html with a type.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "date",
        "time",
        "datetime",
        "color",
        "hidden",
    )
)
SELECT_TEMPLATES = frozenset({"django/forms/widgets/select.html"})
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def attrs_html(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes it bare."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def input_html(widget: dict) -> SafeString:
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return mark_safe(
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{attrs_html(widget['attrs'])}>"
    )


def select_html(widget: dict) -> SafeString:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'<option value="{conditional_escape(str(option["value"]))}"{attrs_html(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        if template_name in SELECT_TEMPLATES and all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return select_html(context["widget"])
        return super().render(template_name, context, request=request)


class ValuesChoiceIterator(ModelChoiceIterator):
    """A model select's choices read with `values_list` (the primary key and the label's columns), not as model
    instances: a filter of 715 classes or 720 staff builds no objects. Validation is unchanged (the field's
    queryset looks the chosen value up, as ModelChoiceField does)."""

    field: LightModelChoiceField

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        columns = ("pk", *self.field.label_fields)
        for pk, *values in self.queryset.values_list(*columns):
            yield (pk, self.field.label_from_values(*values))


class LightModelChoiceField(ModelChoiceField):
    """ModelChoiceField whose options are built from `label_fields` by `label_from_values` (by default the
    first column as it is): for the long selects of a large school."""

    iterator = ValuesChoiceIterator

    def __init__(self, *args, label_fields: tuple[str, ...] = ("name",), label_from_values=None, **kwargs):
        self.label_fields = label_fields
        self.label_from_values = label_from_values or (lambda *values: str(values[0]))
        super().__init__(*args, **kwargs)


def full_name_or_username(first_name: str, last_name: str, username: str) -> str:
    """As User.get_full_name() or get_username(), from the three columns."""
    return f"{first_name} {last_name}".strip() or username


STAFF_LABEL_FIELDS = ("first_name", "last_name", "username")
