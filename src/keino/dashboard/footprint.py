"""The footprint pages: the spend-based carbon footprint with the dashboard's filters.

Every figure links to the lines behind it (`footprint/lines/`), and every line shows its
category, the rule that gave it, its factor and the factor's year; the method page shows the
factor set in use with its source, licence and every factor.
"""

from dataclasses import replace

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.engine import opened
from keino.analytics.filters import NONE_KEY, SpendFilters
from keino.analytics.footprint import (
    FOOTPRINT_DIMENSIONS,
    FOOTPRINT_ORDERS,
    footprint_breakdown,
    footprint_line_rows,
    footprint_lines,
    hotspots,
)
from keino.analytics.selectors import filter_options
from keino.carbon.selectors import factor_set_in_use, factor_sets_available, factors_of
from keino.carbon.services import (
    MAX_FACTOR_FILE_BYTES,
    UnusableFactorFile,
    factor_set_choose,
    factor_set_import,
)
from keino.categories.taxonomy import categories as taxonomy_categories
from keino.core.exports import export_response
from keino.dashboard import presentation as p
from keino.dashboard.views import (
    PAGE_SIZE,
    RULE_NAMES,
    Page,
    _hidden_filters,
    _options,
    _pager,
)
from keino.organisations.access import organisation_view
from keino.organisations.models import Role

TITLES = {
    "category": gettext_lazy("Footprint by procurement category"),
    "year": gettext_lazy("Footprint by fiscal year"),
    "period": gettext_lazy("Footprint by month"),
    "account_group": gettext_lazy("Footprint by account group"),
    "account": gettext_lazy("Footprint by account"),
    "board": gettext_lazy("Footprint by board or committee"),
    "result_unit": gettext_lazy("Footprint by result area"),
    "cost_centre": gettext_lazy("Footprint by cost centre"),
    "supplier": gettext_lazy("Footprint by supplier"),
    "supplier_type": gettext_lazy("Footprint by supplier type"),
    "locality": gettext_lazy("Footprint by supplier's location"),
    "region": gettext_lazy("Footprint by supplier's region"),
    "municipality": gettext_lazy("Footprint by supplier's municipality"),
    "industry_section": gettext_lazy("Footprint by industry (TOL section)"),
    "industry": gettext_lazy("Footprint by industry (TOL class)"),
}
OVERVIEW = ("category", "year", "board", "supplier")
FEW = ("category", "year")


def _column_name(dimension: str) -> str:
    return str(
        p.FILTER_NAMES["category"] if dimension == "category" else p.DIMENSION_NAMES[dimension]
    )


class Links:
    """The footprint pages' addresses for one organisation."""

    def __init__(self, organisation):
        kwargs = {"org_slug": organisation.slug}
        self.overview = reverse("dashboard:footprint", kwargs=kwargs)
        self.lines = reverse("dashboard:footprint_lines", kwargs=kwargs)
        self.method = reverse("dashboard:footprint_method", kwargs=kwargs)
        self.breakdown = {
            name: reverse("dashboard:footprint_breakdown", kwargs={**kwargs, "dimension": name})
            for name in FOOTPRINT_DIMENSIONS
        }

    @staticmethod
    def narrowed(dimension: str, filters: SpendFilters, key) -> SpendFilters:
        field = "categories" if dimension == "category" else DIMENSIONS[dimension].filter_field
        return filters.with_value(field, NONE_KEY if key is None else key)

    def drill(self, dimension: str, filters: SpendFilters, key) -> str:
        target = "supplier" if dimension == "category" else DIMENSIONS[dimension].drill
        base = self.breakdown[target] if target else self.lines
        return base + p.query_string(self.narrowed(dimension, filters, key))

    def lines_of(self, dimension: str, filters: SpendFilters, key) -> str:
        return self.lines + p.query_string(self.narrowed(dimension, filters, key))


def _rows(result, filters, links: Links) -> list[dict]:
    name = result.dimension
    return [
        {
            "row": row,
            "label": p.value_label(name, row.key, row.label),
            "tonnes": row.kg_co2e / 1000,
            "drill_url": links.drill(name, filters, row.key),
            "lines_url": links.lines_of(name, filters, row.key),
        }
        for row in result.rows
    ]


def _panel(name, result, filters, links: Links, *, more=True, title=None) -> dict:
    rows = _rows(result, filters, links)
    title = str(title or TITLES[name])
    chart_rows = rows if name in ("year", "period") else rows[:20]
    return {
        "name": name,
        "chart_id": f"chart-footprint-{name}",
        "title": title,
        "column": _column_name(name),
        "rows": rows,
        "result": result,
        "chart": {
            "kind": "line" if name == "period" else "bar" if name == "year" else "hbar",
            "labels": [row["label"] for row in chart_rows],
            "values": [str(row["tonnes"]) for row in chart_rows],
            "hrefs": [row["drill_url"] for row in chart_rows],
            "series_label": str(_("t CO2e")),
            "value_format": "number",
            "aria_label": _("Chart: %(title)s. The same figures are in the table beside it.")
            % {"title": title},
        },
        "more_url": links.breakdown[name] + p.query_string(filters) if more else None,
        "export_url": links.breakdown[name] + p.query_string(filters, export="csv"),
        "export_xlsx_url": links.breakdown[name] + p.query_string(filters, export="xlsx"),
    }


def _table(result) -> tuple[list, list]:
    header = [
        _column_name(result.dimension),
        _("Name"),
        _("kg CO2e"),
        _("Share of the footprint"),
        _("Spend (EUR, VAT 0 %)"),
        _("Spend with a factor (EUR)"),
        _("kg CO2e per euro"),
        _("Lines"),
    ]
    name = result.dimension
    rows = [
        (
            row.key,
            p.value_label(name, row.key, row.label),
            row.kg_co2e,
            row.share,
            row.spend,
            row.spend_with_factor,
            row.intensity,
            row.lines,
        )
        for row in result.rows
    ]
    return header, rows


class FootprintPage(Page):
    def __init__(self, request: HttpRequest):
        super().__init__(request)
        self.footprint_links = Links(self.organisation)
        self.factor_set = factor_set_in_use(self.organisation.pk)
        self.factors = factors_of(self.factor_set)

    def context(self, scope, base_url: str, **page) -> dict:
        context = super().context(scope, base_url, **page)
        context.update(
            {
                "footprint_links": self.footprint_links,
                "factor_set": self.factor_set,
                "footprint_page": True,
            }
        )
        return context


@organisation_view()
def overview(request: HttpRequest) -> HttpResponse:
    page = FootprintPage(request)
    filters = page.filters
    links = page.footprint_links
    base_url = links.overview
    if not page.scope.files:
        return render(request, "dashboard/footprint.html", page.context(page.scope, base_url))
    with opened(page.scope) as scope:
        # Every category and year (they are few; the hotspots by category come from them), the
        # ten largest boards and suppliers.
        results = {
            name: footprint_breakdown(
                scope, filters, page.factors, name, limit=None if name in FEW else 10
            )
            for name in OVERVIEW
        }
        if page.export:
            header, rows = _table(results["category"])
            return export_response(
                page.export,
                f"keino-{page.organisation.slug}-footprint",
                header,
                rows,
                sheet_title=str(TITLES["category"]),
            )
        options = filter_options(scope)
        spots = {
            "category": hotspots(
                scope, filters, page.factors, "category", breakdown=results["category"]
            ),
            "supplier": hotspots(scope, filters, page.factors, "supplier"),
        }
        context = page.context(scope, base_url)
    whole = results["category"]
    context.update(
        {
            "whole": whole,
            "options": _options(options, filters, page.datasets),
            "hidden_filters": _hidden_filters(filters),
            "tonnes": whole.kg_co2e / 1000,
            "without_factor": whole.spend - whole.spend_with_factor,
            "without_factor_share": (1 - whole.coverage if whole.coverage is not None else None),
            "panels": [_panel(name, results[name], filters, links) for name in OVERVIEW],
            "hotspots": [
                {
                    "title": _("Largest emissions by category"),
                    "rows": _rows_of_list("category", spots["category"].largest, filters, links),
                },
                {
                    "title": _("Largest emissions by supplier"),
                    "rows": _rows_of_list("supplier", spots["supplier"].largest, filters, links),
                },
                {
                    "title": _("Highest intensity among categories with material spend"),
                    "rows": _rows_of_list(
                        "category", spots["category"].most_intensive, filters, links
                    ),
                },
            ],
            "other_breakdowns": [
                (name, TITLES[name], links.breakdown[name] + context["query"])
                for name in FOOTPRINT_DIMENSIONS
                if name not in OVERVIEW
            ],
        }
    )
    return render(request, "dashboard/footprint.html", context, status=page.status())


def _rows_of_list(dimension, rows, filters, links: Links) -> list[dict]:
    return [
        {
            "row": row,
            "label": p.value_label(dimension, row.key, row.label),
            "drill_url": links.drill(dimension, filters, row.key),
            "lines_url": links.lines_of(dimension, filters, row.key),
        }
        for row in rows
    ]


@organisation_view()
def breakdown(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in FOOTPRINT_DIMENSIONS:
        raise Http404("No such breakdown")
    page = FootprintPage(request)
    filters = page.filters
    links = page.footprint_links
    base_url = links.breakdown[dimension]
    search = page.search
    order, descending = page.order(FOOTPRINT_ORDERS)
    number = page.number
    paging = page.paging()
    with opened(page.scope) as scope:
        # Categories are named in the reader's language, which the store does not know: they
        # are few (one page), so a search among them is made here, by code or by name.
        by_name = dimension == "category" and search
        result = footprint_breakdown(
            scope,
            filters,
            page.factors,
            dimension,
            order=order,
            descending=descending,
            search="" if by_name else search,
            **({} if by_name else paging),
        )
        if by_name:
            needle = search.lower()
            found = [
                row
                for row in result.rows
                if needle in row.key.lower() or needle in p.value_label("category", row.key).lower()
            ]
            result = replace(result, rows=found, row_count=len(found))
        if page.export:
            header, rows = _table(result)
            return export_response(
                page.export,
                f"keino-{page.organisation.slug}-footprint-{dimension}",
                header,
                rows,
                sheet_title=str(TITLES[dimension]),
            )
        context = page.context(scope, base_url, q=search, order=page.order_param)
    page_params = {"q": search, "order": page.order_param}
    panel = _panel(dimension, result, filters, links, more=False)
    panel["export_url"] = base_url + p.query_string(filters, export="csv", **page_params)
    panel["export_xlsx_url"] = base_url + p.query_string(filters, export="xlsx", **page_params)
    pages = max(1, -(-result.row_count // PAGE_SIZE))
    current = page.order_param
    context.update(
        {
            "footprint_dimension": dimension,
            "title": TITLES[dimension],
            "panel": panel,
            "full": True,
            "search": search,
            "searchable": dimension not in ("year", "period"),
            "hidden_filters": filters.to_query(),
            "order": current,
            "orders": [
                (base_url + p.query_string(filters, q=search, order=value), label, value == current)
                for value, label in (
                    ("", _("largest footprint first")),
                    ("-intensity", _("highest intensity first")),
                    ("-spend", _("largest spend first")),
                    ("label", _("by name")),
                )
            ],
            "pager": _pager(base_url, filters, number, pages, result.row_count, **page_params),
        }
    )
    return render(request, "dashboard/footprint_breakdown.html", context, status=page.status())


@organisation_view()
def lines(request: HttpRequest) -> HttpResponse:
    page = FootprintPage(request)
    filters = page.filters
    base_url = page.footprint_links.lines
    number = page.number
    if page.export:
        if page.export == "xlsx":
            _found, count = footprint_lines(page.scope, filters, page.factors, limit=0)
            if too_many := page.too_many_for_xlsx(count):
                return too_many
        header = [
            _("Dataset"),
            _("Row in the file"),
            _("Voucher date"),
            _("Supplier"),
            _("Business id"),
            _("Account"),
            _("Account name"),
            _("Category code"),
            _("Category"),
            _("Decided by"),
            _("Amount (EUR, VAT 0 %)"),
            _("kg CO2e per euro"),
            _("Factor's year"),
            _("kg CO2e"),
            _("Factor set"),
        ]
        datasets = page.datasets
        set_name = str(page.factor_set) if page.factor_set else ""

        def rows():
            for line in footprint_line_rows(page.scope, filters, page.factors):
                yield (
                    datasets.get(line.dataset_id, line.dataset_id),
                    line.row_number,
                    line.voucher_date,
                    line.supplier,
                    line.business_id,
                    line.account_number,
                    line.account_name,
                    line.category,
                    p.value_label("category", line.category),
                    str(RULE_NAMES.get(line.rule, "")),
                    line.amount,
                    line.kg_co2e_per_eur,
                    line.factor_year,
                    line.kg_co2e,
                    set_name if line.kg_co2e is not None else "",
                )

        return export_response(
            page.export,
            f"keino-{page.organisation.slug}-footprint-lines",
            header,
            rows(),
            sheet_title=_("Footprint lines"),
        )
    with opened(page.scope) as scope:
        found, count = footprint_lines(
            scope, filters, page.factors, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        context = page.context(scope, base_url)
    pages = max(1, -(-count // PAGE_SIZE))
    context.update(
        {
            "lines": [
                {
                    "line": line,
                    "category": p.value_label("category", line.category),
                    "rule": RULE_NAMES.get(line.rule, ""),
                }
                for line in found
            ],
            "line_count": count,
            "datasets": page.datasets,
            "pager": _pager(base_url, filters, number, pages, count),
            "export_url": base_url + p.query_string(filters, export="csv"),
            "export_xlsx_url": base_url + p.query_string(filters, export="xlsx"),
            "footprint_lines_page": True,
        }
    )
    return render(request, "dashboard/footprint_lines.html", context, status=page.status())


class FactorSetForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Factor file (CSV)"),
        help_text=gettext_lazy(
            "Columns category, kg_co2e_per_eur and optionally note and year; "
            "comma, semicolon or tab separated; UTF-8; at most 1 MB."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Who published the factors, where, and how they were derived."),
    )
    licence = forms.CharField(label=gettext_lazy("Licence"), max_length=200)
    data_year = forms.IntegerField(label=gettext_lazy("Data year"), min_value=1990, max_value=2100)
    price_basis = forms.CharField(
        label=gettext_lazy("Price basis"),
        max_length=200,
        help_text=gettext_lazy("E.g. purchaser prices without VAT, euros of 2022."),
    )
    use = forms.BooleanField(
        label=gettext_lazy("Use this set for our footprint"), required=False, initial=True
    )


@organisation_view()
def method(request: HttpRequest) -> HttpResponse:
    page = FootprintPage(request)
    organisation = page.organisation
    can_edit = request.organisation_access.allows(Role.ANALYST)
    form = FactorSetForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = FactorSetForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_FACTOR_FILE_BYTES:
                form.add_error(
                    "file", _("The file is larger than 1 MB; a factor set is far smaller.")
                )
            else:
                try:
                    factor_set = factor_set_import(
                        organisation=organisation,
                        data=upload.read(),
                        name=form.cleaned_data["name"],
                        source=form.cleaned_data["source"],
                        licence=form.cleaned_data["licence"],
                        data_year=form.cleaned_data["data_year"],
                        price_basis=form.cleaned_data["price_basis"],
                    )
                except UnusableFactorFile as error:
                    for problem in error.problems:
                        form.add_error(
                            "file",
                            _("Row %(row)s, %(column)s: %(message)s")
                            % {
                                "row": problem.row,
                                "column": problem.column or "–",
                                "message": problem.message,
                            },
                        )
                else:
                    if form.cleaned_data["use"]:
                        factor_set_choose(organisation=organisation, factor_set=factor_set)
                    messages.success(
                        request,
                        _("The factor set %(name)s is stored with %(count)s factors.")
                        % {"name": factor_set.name, "count": factor_set.factors.count()},
                    )
                    return redirect(page.footprint_links.method)
    factor_set = page.factor_set
    table = {}
    for factor in factor_set.factors.order_by("category", "year") if factor_set else []:
        row = table.setdefault(
            factor.category,
            {
                "code": factor.category,
                "name": p.value_label("category", factor.category),
                "values": {},
                "note": factor.note,
            },
        )
        row["values"][factor.year] = factor.kg_co2e_per_eur
        row["note"] = factor.note
    years = sorted({year for row in table.values() for year in row["values"]}, key=lambda y: y or 0)
    factors = [
        {**row, "cells": [row["values"].get(year) for year in years]}
        for row in sorted(table.values(), key=lambda row: row["code"])
    ]
    covered = set(table)
    missing = [
        {"code": code, "name": category.name}
        for code, category in taxonomy_categories().items()
        if category.parent and code not in covered
    ]
    context = page.context(page.scope, page.footprint_links.method)
    context.update(
        {
            "factors": factors,
            "factor_years": years,
            "missing": missing,
            "sets": factor_sets_available(organisation.pk),
            "can_edit": can_edit,
            "form": form,
            "method_page": True,
        }
    )
    status = 400 if form.errors else 200
    return render(request, "dashboard/footprint_method.html", context, status=status)


@organisation_view(Role.ANALYST)
@require_POST
def factor_set_use(request: HttpRequest, set_id: int) -> HttpResponse:
    organisation = request.organisation_access.organisation
    factor_set = factor_sets_available(organisation.pk).filter(pk=set_id).first()
    if factor_set is None:
        raise Http404("No such factor set")
    factor_set_choose(organisation=organisation, factor_set=factor_set)
    messages.success(request, _("The footprint now uses %(name)s.") % {"name": str(factor_set)})
    return redirect(reverse("dashboard:footprint_method", kwargs={"org_slug": organisation.slug}))
