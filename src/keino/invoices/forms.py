from django import forms
from django.utils.translation import gettext_lazy as _

from keino.invoices.importers.canonical import FIELDS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Purchase-invoice file"),
        help_text=_(
            "CSV or Excel (XLSX). The file is stored unchanged; nothing is imported before "
            "you confirm the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.xls,.ods"}),
    )
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Leave empty to use the year of most lines."),
    )
    force = forms.BooleanField(
        label=_("Import even if this file was imported before"), required=False
    )


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(
        label=_("Sheet"),
        widget=forms.RadioSelect,
        help_text=_("The workbook has several sheets with invoice data: choose the one to import."),
    )

    def __init__(self, *args, sheets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]


KEEP_AS_EXTRA = ""


def field_choices() -> list[tuple[str, str]]:
    return [(KEEP_AS_EXTRA, _("— keep as an extra column —"))] + [
        (name, field.label) for name, field in FIELDS.items()
    ]


class MappingForm(forms.Form):
    """One choice per column of the file: the canonical field it holds."""

    def __init__(self, *args, header: list[str], mapping: list[str | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        for index, column in enumerate(header):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column,
                choices=field_choices(),
                required=False,
                initial=mapping[index] or KEEP_AS_EXTRA,
            )

    def mapping(self) -> list[str | None]:
        return [self.cleaned_data[f"column_{index}"] or None for index in range(len(self.header))]

    def columns(self):
        return [self[f"column_{index}"] for index in range(len(self.header))]
