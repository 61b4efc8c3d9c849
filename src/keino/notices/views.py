"""Tender notices: indicators of sustainable and innovative procurement, the notices, upload."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from keino.core.exports import EXPORT_FORMATS, export_response
from keino.notices.codelists import label
from keino.notices.models import Lot, Notice
from keino.notices.selectors import (
    AIMS,
    GROUPINGS,
    INNOVATION_TARGET,
    lot_value,
    notice_indicators,
    notice_years,
    notices_in_effect,
    spend_link,
)
from keino.notices.services import notices_import
from keino.organisations.access import get_scoped_object_or_404, organisation_view
from keino.organisations.models import Role

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
AIM_NAMES = {
    "environmental_aim": gettext_lazy("Environmental aim"),
    "social_aim": gettext_lazy("Social aim"),
    "innovation_aim": gettext_lazy("Innovation aim"),
    "green_criteria": gettext_lazy("Green procurement criteria"),
}
GROUPING_NAMES = {
    "year": gettext_lazy("Year of publication"),
    "notice_type": gettext_lazy("Notice type"),
    "buyer": gettext_lazy("Buyer"),
    "cpv_division": gettext_lazy("CPV division"),
}
LANGUAGES = {"fi": "fi", "sv": "sv"}


def _language() -> str:
    return LANGUAGES.get((get_language() or "en")[:2], "en")


FORM_TYPE_NAMES = {
    "planning": pgettext_lazy("notice type", "Planning"),
    "competition": pgettext_lazy("notice type", "Competition"),
    "result": pgettext_lazy("notice type", "Result"),
    "change": pgettext_lazy("notice type", "Change"),
    "dir-awa-pre": pgettext_lazy("notice type", "Direct award pre-announcement"),
    "cont-modif": pgettext_lazy("notice type", "Contract modification"),
}


def _key_label(by: str, key) -> str:
    if key is None:
        return str(_("(not given)"))
    if by == "notice_type":
        return str(FORM_TYPE_NAMES.get(key, key))
    return str(key)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xml,.json,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Notice files"),
        help_text=gettext_lazy(
            "eForms XML notices, OCDS JSON packages, or zip files of them; at most 50 MB a file."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 50 MB.") % {"name": upload.name}
                )
        return files


def _filters(request: HttpRequest) -> tuple[tuple[int, ...], tuple[str, ...]]:
    years = tuple(int(year) for year in request.GET.getlist("year") if year.isdigit())
    types = tuple(value for value in request.GET.getlist("type") if value in FORM_TYPE_NAMES)
    return years, types


def _indicator_table(result) -> tuple[list, list]:
    header = [
        str(GROUPING_NAMES[result.by]),
        _("Lots"),
        _("Lots with a value in euros"),
        _("Value (EUR)"),
    ]
    lots, lot_share = _("lots"), _("share of lots")
    value, value_share = _("value (EUR)"), _("share of value")
    for aim in AIMS:
        name = str(AIM_NAMES[aim])
        header += [
            f"{name}: {lots}",
            f"{name}: {lot_share}",
            f"{name}: {value}",
            f"{name}: {value_share}",
        ]
    rows = []
    for row in [*result.rows, result.total]:
        cells = [
            _("All") if row is result.total else _key_label(result.by, row.key),
            row.lots,
            row.lots_with_value,
            row.value,
        ]
        for aim in AIMS:
            cells += [
                row.aim_lots[aim],
                row.count_share(aim),
                row.aim_values[aim],
                row.value_share(aim),
            ]
        rows.append(cells)
    return header, rows


def _list_url(organisation, grouping: str, key, years=(), types=()) -> str | None:
    """The notices of an indicator row, under the page's filters."""
    if key is None:
        return None
    param = {"notice_type": "type"}.get(grouping, grouping)
    pairs = [("year", year) for year in years] + [("type", kind) for kind in types]
    pairs = [(name, value) for name, value in pairs if name != param] + [(param, key)]
    return reverse("notices:list", kwargs={"org_slug": organisation.slug}) + "?" + urlencode(pairs)


@organisation_view()
def indicators(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation_access.organisation
    years, types = _filters(request)
    by = request.GET.get("by", "")
    export = request.GET.get("export", "")
    if export:
        if export not in EXPORT_FORMATS or by not in GROUPINGS:
            raise Http404("Unknown export")
        header, rows = _indicator_table(
            notice_indicators(organisation.pk, by, years=years, notice_types=types)
        )
        return export_response(
            export,
            f"keino-{organisation.slug}-notice-indicators-{by}",
            header,
            rows,
            sheet_title=str(GROUPING_NAMES[by]),
        )
    tables = []
    query = request.GET.urlencode()
    for grouping in GROUPINGS:
        result = notice_indicators(organisation.pk, grouping, years=years, notice_types=types)
        tables.append(
            {
                "by": grouping,
                "title": GROUPING_NAMES[grouping],
                "rows": [
                    (
                        row,
                        _key_label(grouping, row.key),
                        _list_url(organisation, grouping, row.key, years, types),
                    )
                    for row in result.rows
                ],
                "total": result.total,
                "export_url": f"?{query}&by={grouping}&export=csv"
                if query
                else f"?by={grouping}&export=csv",
                "export_xlsx_url": f"?{query}&by={grouping}&export=xlsx"
                if query
                else f"?by={grouping}&export=xlsx",
            }
        )
    total = tables[0]["total"]
    context = {
        "organisation": organisation,
        "tables": tables,
        "total": total,
        "aims": [(aim, AIM_NAMES[aim]) for aim in AIMS],
        "innovation_share": total.count_share("innovation_aim"),
        "innovation_target": INNOVATION_TARGET,
        "years": notice_years(organisation.pk),
        "chosen_years": years,
        "types": list(FORM_TYPE_NAMES.items()),
        "chosen_types": types,
        "link": spend_link(organisation),
        "can_upload": request.organisation_access.allows(Role.ANALYST),
        "form": UploadForm(),
        "notice_count": notices_in_effect(organisation.pk).count(),
    }
    return render(request, "notices/indicators.html", context)


LIST_FILTERS = ("year", "type", "cpv_division", "buyer", "aim")


@organisation_view()
def notice_list(request: HttpRequest) -> HttpResponse:
    """The notices in effect, optionally those of one indicator row (and one aim)."""
    organisation = request.organisation_access.organisation
    notices = notices_in_effect(organisation.pk)
    chosen = {name: request.GET.getlist(name) for name in LIST_FILTERS}
    years = [int(year) for year in chosen["year"] if year.isdigit()]
    if years:
        notices = notices.filter(publication_date__year__in=years)
    if chosen["type"]:
        notices = notices.filter(form_type__in=chosen["type"])
    if chosen["buyer"]:
        notices = notices.filter(buyer_name__in=chosen["buyer"])
    lots = Lot.objects.filter(notice__in=notices)
    if chosen["cpv_division"]:
        lots = lots.filter(main_cpv__startswith=chosen["cpv_division"][0][:2])
    aims = [aim for aim in chosen["aim"] if aim in AIMS]
    for aim in aims:
        lots = lots.filter(**{aim: True})
    if chosen["cpv_division"] or aims:
        notices = notices.filter(pk__in=lots.values("notice"))
    page = Paginator(notices.prefetch_related("lots"), 50).get_page(request.GET.get("page"))
    described = []
    for name, values in chosen.items():
        for value in values:
            if name == "aim":
                described.append((AIM_NAMES.get(value, value), ""))
            elif name == "type":
                described.append((GROUPING_NAMES["notice_type"], FORM_TYPE_NAMES.get(value, value)))
            else:
                described.append((GROUPING_NAMES.get(name, name), value))
    return render(
        request,
        "notices/list.html",
        {
            "organisation": organisation,
            "page": page,
            "chosen": described,
            "query": urlencode([(name, v) for name, values in chosen.items() for v in values]),
        },
    )


@organisation_view()
def detail(request: HttpRequest, notice_pk: int) -> HttpResponse:
    notice = get_scoped_object_or_404(request, Notice, pk=notice_pk)
    language = _language()
    lots = []
    for lot in notice.lots.prefetch_related("winners"):
        lots.append(
            {
                "lot": lot,
                "value": lot_value(lot),
                "codes": [
                    (
                        title,
                        [label(list_name, code, language) for code in getattr(lot, attribute)],
                    )
                    for title, list_name, attribute in (
                        (_("Strategic procurement (BT-06)"), "strategic-procurement", "strategic"),
                        (_("Green procurement (BT-774)"), "environmental-impact", "environmental"),
                        (_("Social procurement (BT-775)"), "social-objective", "social"),
                        (
                            _("Innovative procurement (BT-776)"),
                            "innovative-acquisition",
                            "innovative",
                        ),
                        (_("Green procurement criteria (BT-805)"), "gpp-criteria", "gpp_criteria"),
                    )
                ],
                "aims": [AIM_NAMES[aim] for aim in AIMS if getattr(lot, aim)],
            }
        )
    changed_by = Notice.objects.filter(
        organisation=notice.organisation, changes_notice=notice.notice_id
    ).first()
    return render(
        request,
        "notices/detail.html",
        {
            "organisation": notice.organisation,
            "notice": notice,
            "lots": lots,
            "changed_by": changed_by,
            "procedure": label("procurement-procedure-type", notice.procedure_type, language)
            if notice.procedure_type
            else "",
        },
    )


@organisation_view(Role.ANALYST)
def upload(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation_access.organisation
    target = reverse("notices:indicators", kwargs={"org_slug": organisation.slug})
    if request.method != "POST":
        return redirect(target)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("files", []):
            messages.error(request, error)
        return redirect(target)
    report = notices_import(
        organisation=organisation,
        sources=((upload.name, upload.read()) for upload in form.cleaned_data["files"]),
    )
    messages.success(request, report.summary())
    for _name, message in report.problems[:20]:
        messages.warning(request, message)
    return redirect(target)


@organisation_view()
def method(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/method.html",
        {
            "organisation": request.organisation_access.organisation,
            "innovation_target": INNOVATION_TARGET,
        },
    )
