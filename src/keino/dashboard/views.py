"""The spend dashboard: thin views over keino.analytics' selectors.

Every page reads its filters from the query string, so a reload or a shared address shows the
same state; every table can be downloaded as CSV or XLSX with `?export=csv|xlsx`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keino.analytics.dimensions import DIMENSIONS
from keino.analytics.engine import SpendScope, opened, spend_scope
from keino.analytics.filters import (
    FILTER_COLUMNS,
    NO_FILTERS,
    UNCLASSIFIED,
    InvalidFilter,
    SpendFilters,
    filters_from_query,
)
from keino.analytics.selectors import (
    ORDERS,
    coverage_of,
    dimension_labels,
    largest_unclassified,
    spend_breakdown,
    spend_by_category,
    spend_by_year,
    spend_line_rows,
    spend_lines,
)
from keino.analytics.summary import OVERVIEW_PANELS, dashboard_overview
from keino.categories.models import CategoryRule, RuleKind
from keino.categories.services import category_rule_remove, category_rule_set
from keino.categories.taxonomy import categories as taxonomy_categories
from keino.core.exports import EXPORT_FORMATS, XLSX_MAX_ROWS, export_response
from keino.dashboard import presentation as p
from keino.invoices.models import DatasetStatus
from keino.invoices.selectors import datasets_of
from keino.organisations.access import get_scoped_object_or_404, organisation_view, scoped
from keino.organisations.models import Role

PAGE_SIZE = 50
MAX_PAGE = 100_000


def _links(organisation) -> p.Links:
    slug = organisation.slug
    return p.Links(
        overview=reverse("dashboard:overview", kwargs={"org_slug": slug}),
        breakdown={
            name: reverse("dashboard:breakdown", kwargs={"org_slug": slug, "dimension": name})
            for name in DIMENSIONS
        },
        lines=reverse("dashboard:lines", kwargs={"org_slug": slug}),
        categories=reverse("dashboard:categories", kwargs={"org_slug": slug}),
    )


class Page:
    """What every dashboard page starts from: organisation, scope, filters and their names."""

    def __init__(self, request: HttpRequest):
        self.organisation = request.organisation_access.organisation
        self.links = _links(self.organisation)
        self.error = None
        try:
            self.filters = filters_from_query(request.GET)
        except InvalidFilter as error:
            self.filters = NO_FILTERS
            self.error = _(
                "The address has a filter Keino cannot read: %(param)s=%(value)s. "
                "It was left out; the figures below are without any filters."
            ) % {"param": error.param, "value": error.value}
        self.datasets = {
            dataset.pk: f"{dataset.original_name} ({dataset.fiscal_year or '–'})"
            for dataset in datasets_of(organisation=self.organisation).filter(
                status=DatasetStatus.READY
            )
        }
        self.scope = spend_scope(self.organisation)
        self.export = request.GET.get("export", "")
        if self.export and self.export not in EXPORT_FORMATS:
            raise Http404("Unknown export format")
        self.search = request.GET.get("q", "").strip()[:100]
        self.order_param = request.GET.get("order", "")
        try:
            self.number = min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
        except ValueError:
            self.number = 1

    def order(self, known) -> tuple[str, bool | None]:
        """The order asked for ("-total" is by total, descending), if it is one of `known`."""
        order, descending = self.order_param, None
        if order.startswith("-"):
            order, descending = order[1:], True
        elif order:
            descending = False
        return (order, descending) if order in known else ("", None)

    def paging(self) -> dict:
        """An export has every row; the page shows one page of them."""
        return {} if self.export else {"limit": PAGE_SIZE, "offset": (self.number - 1) * PAGE_SIZE}

    def too_many_for_xlsx(self, count: int) -> HttpResponse | None:
        """The answer to an XLSX export of more lines than a sheet holds."""
        if self.export != "xlsx" or count < XLSX_MAX_ROWS:
            return None
        message = _(
            "%(count)s lines are more than a spreadsheet holds (%(limit)s rows). "
            "Download them as CSV, or narrow the filters."
        ) % {"count": count, "limit": XLSX_MAX_ROWS - 1}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")

    def chip_labels(self, scope: SpendScope) -> dict:
        labels = {("dataset", key): name for key, name in self.datasets.items()}
        for name in ("account", "supplier", "municipality", "industry"):
            field = DIMENSIONS[name].filter_field
            keys = list(getattr(self.filters, field))
            for key, label in dimension_labels(scope, name, keys).items():
                labels[(name, key)] = p.value_label(name, key, label)
        return labels

    def context(self, scope: SpendScope, base_url: str, **page) -> dict:
        return {
            "organisation": self.organisation,
            "filters": self.filters,
            "filter_error": self.error,
            "chips": p.chips(self.filters, base_url, self.chip_labels(scope), **page),
            "clear_url": base_url + p.query_string(NO_FILTERS, **page),
            "links": self.links,
            "has_data": bool(self.scope.files),
            "query": p.query_string(self.filters),
        }

    def status(self) -> int:
        return 400 if self.error else 200


def _breakdown_table(breakdown, with_change: dict | None = None):
    """Header and rows of a breakdown for export."""
    name = breakdown.dimension
    header = [
        _("Rank"),
        str(p.DIMENSION_NAMES[name]),
        _("Name"),
        _("Lines"),
        _("Spend (EUR, VAT 0 %)"),
        _("Share"),
        _("Cumulative share"),
    ]
    if with_change is not None:
        header.append(_("Change from the previous year"))

    def rows():
        for row in breakdown.rows:
            key = p.period_text(row.key) if name == "period" and row.key else row.key
            cells = [
                row.rank,
                key,
                p.value_label(name, row.key, row.label),
                row.lines,
                row.total,
                row.share,
                row.cumulative_share,
            ]
            if with_change is not None:
                cells.append(with_change.get(row.key))
            yield cells

    return header, rows()


def _panel(name, breakdown, filters, links, *, title=None, more=True):
    rows = p.rows_of(breakdown, filters, links)
    title = title or p.BREAKDOWN_TITLES[name]
    return {
        "name": name,
        "chart_id": f"chart-{name}",
        "chronological": DIMENSIONS[name].chronological,
        "title": title,
        "column": p.DIMENSION_NAMES[name],
        "rows": rows,
        "whole": breakdown.whole,
        "row_count": breakdown.row_count,
        "chart": p.chart_spec(name, rows, kind=p.chart_kind(name), title=str(title)),
        "more_url": links.breakdown[name] + p.query_string(filters) if more else None,
        "export_url": links.breakdown[name] + p.query_string(filters, export="csv"),
        "export_xlsx_url": links.breakdown[name] + p.query_string(filters, export="xlsx"),
    }


@organisation_view()
def overview(request: HttpRequest) -> HttpResponse:
    page = Page(request)
    filters = page.filters
    if not page.scope.files:
        return render(
            request, "dashboard/overview.html", page.context(page.scope, page.links.overview)
        )
    with opened(page.scope) as scope:
        data = dashboard_overview(scope, filters)
        if page.export:
            return _key_figures_export(page, data)
        context = page.context(scope, page.links.overview)
    changes = {row.year: row.change for row in data.by_year}
    panels = [_panel(name, data.panels[name], filters, page.links) for name in OVERVIEW_PANELS]
    context.update(
        {
            "data": data,
            "panels": panels,
            "changes": changes,
            "options": _options(data.options, filters, page.datasets),
            "hidden_filters": _hidden_filters(filters),
            "other_breakdowns": [
                (name, p.BREAKDOWN_TITLES[name], page.links.breakdown[name] + context["query"])
                for name in DIMENSIONS
                if name not in OVERVIEW_PANELS
            ],
            "locality_url": page.links.breakdown["locality"] + context["query"],
        }
    )
    return render(request, "dashboard/overview.html", context, status=page.status())


def _key_figures_export(page: Page, data) -> HttpResponse:
    figures = data.key_figures
    rows = [
        (_("Total spend (EUR, VAT 0 %)"), figures.total),
        (_("Invoice lines"), figures.lines),
        (_("Vouchers"), figures.vouchers),
        (_("Suppliers"), figures.suppliers),
        (_("Average line (EUR)"), figures.average_line),
        (_("Credit-note lines"), figures.credit_note_lines),
        (_("Credit notes (EUR)"), figures.credit_note_sum),
        (_("Share of lines that are credit notes"), figures.credit_note_line_share),
        (_("Local share (our municipality)"), data.locality.local_share),
        (_("Regional share (our region)"), data.locality.regional_share),
        (_("Share with supplier location not known"), data.locality.unknown_share),
        (_("Top-10 suppliers' share"), data.concentration.top10_share),
        (_("Herfindahl-Hirschman index"), data.concentration.hhi),
    ]
    return export_response(
        page.export,
        f"keino-{page.organisation.slug}-key-figures",
        [_("Figure"), _("Value")],
        rows,
        sheet_title=_("Key figures"),
    )


def _options(options: dict, filters: SpendFilters, datasets: dict) -> list[dict]:
    """The choices of the filter form, each with whether it is chosen now."""
    groups = [
        ("dataset", list(datasets)),
        ("year", options["year"]),
        ("month", list(range(1, 13))),
        *[
            (name, options[name])
            for name in ("board", "account_group", "supplier_type", "locality")
        ],
        ("region", options["region"]),
        ("industry_section", options["industry_section"]),
        (
            "category",
            [code for code, category in taxonomy_categories().items() if category.parent]
            + [UNCLASSIFIED],
        ),
    ]
    result = []
    for param, values in groups:
        field = {column.param: name for name, column in FILTER_COLUMNS.items()}[param]
        chosen = set(getattr(filters, field))
        result.append(
            {
                "param": param,
                "title": p.FILTER_NAMES[param],
                "chosen_count": len(chosen),
                "choices": [
                    {
                        "value": value,
                        "label": p.value_label(param, value, datasets=datasets),
                        "chosen": value in chosen,
                    }
                    for value in values
                ],
            }
        )
    return result


FORM_PARAMS = {
    "dataset",
    "year",
    "month",
    "board",
    "account_group",
    "supplier_type",
    "locality",
    "region",
    "industry_section",
    "category",
}


def _hidden_filters(filters: SpendFilters) -> list[tuple[str, str]]:
    """Filters the form does not show (set by drilling down), kept when the form is sent."""
    return [(param, value) for param, value in filters.to_query() if param not in FORM_PARAMS]


@organisation_view()
def breakdown(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in DIMENSIONS:
        raise Http404("No such breakdown")
    page = Page(request)
    filters = page.filters
    search = page.search
    order, descending = page.order(ORDERS)
    number = page.number
    base_url = page.links.breakdown[dimension]
    with opened(page.scope) as scope:
        paging = page.paging()
        result = spend_breakdown(
            scope, filters, dimension, search=search, order=order, descending=descending, **paging
        )
        changes = (
            {row.year: row.change for row in spend_by_year(scope, filters)}
            if dimension == "year"
            else None
        )
        if page.export:
            header, rows = _breakdown_table(result, changes)
            return export_response(
                page.export,
                f"keino-{page.organisation.slug}-{dimension}",
                header,
                list(rows),
                sheet_title=str(p.BREAKDOWN_TITLES[dimension]),
            )
        context = page.context(scope, base_url, q=search, order=page.order_param)
    page_params = {"q": search, "order": page.order_param}
    panel = _panel(dimension, result, filters, page.links, more=False)
    panel["chart"] = p.chart_spec(
        dimension,
        panel["rows"][:20] if not DIMENSIONS[dimension].chronological else panel["rows"],
        kind=p.chart_kind(dimension),
        title=str(p.BREAKDOWN_TITLES[dimension]),
    )
    panel["export_url"] = base_url + p.query_string(filters, export="csv", **page_params)
    panel["export_xlsx_url"] = base_url + p.query_string(filters, export="xlsx", **page_params)
    pages = max(1, -(-result.row_count // PAGE_SIZE))
    context.update(
        {
            "dimension": dimension,
            "title": p.BREAKDOWN_TITLES[dimension],
            "panel": panel,
            "changes": changes,
            "search": search,
            "searchable": dimension not in ("year", "period"),
            "hidden_filters": filters.to_query(),
            "order": page.order_param,
            "sort_links": _sort_links(base_url, filters, search, page.order_param),
            "pager": _pager(base_url, filters, number, pages, result.row_count, **page_params),
            "drill_title": (
                p.BREAKDOWN_TITLES[DIMENSIONS[dimension].drill]
                if DIMENSIONS[dimension].drill
                else None
            ),
        }
    )
    return render(request, "dashboard/breakdown.html", context, status=page.status())


def _sort_links(base_url, filters, search, current) -> dict:
    """For each sortable column: its address and the aria-sort value it has now."""
    links = {}
    for column, first in (("label", ""), ("lines", "-"), ("total", "-")):
        ascending, descending = column, "-" + column
        now = (
            "ascending" if current == ascending else "descending" if current == descending else None
        )
        if column == "total" and not current:
            now = "descending"
        following = ascending if now == "descending" else descending if now == "ascending" else None
        following = following or (first + column)
        links[column] = {
            "url": base_url + p.query_string(filters, q=search, order=following),
            "aria_sort": now or "none",
        }
    return links


def _pager(base_url, filters, number, pages, row_count, **params) -> dict:
    def url(n):
        return base_url + p.query_string(filters, page=n if n > 1 else None, **params)

    window = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    return {
        "number": number,
        "pages": pages,
        "row_count": row_count,
        "previous": url(number - 1) if number > 1 else None,
        "next": url(number + 1) if number < pages else None,
        # (page, address, whether pages are skipped before it)
        "links": [(n, url(n), i > 0 and n - window[i - 1] > 1) for i, n in enumerate(window)],
    }


@organisation_view()
def lines(request: HttpRequest) -> HttpResponse:
    page = Page(request)
    filters = page.filters
    number = page.number
    base_url = page.links.lines
    if page.export == "xlsx":
        _lines, count = spend_lines(page.scope, filters, limit=0)
        if too_many := page.too_many_for_xlsx(count):
            return too_many
    if page.export:
        header = [
            _("Dataset"),
            _("Row in the file"),
            _("Voucher date"),
            _("Voucher number"),
            _("Supplier"),
            _("Business id"),
            _("Account"),
            _("Account name"),
            _("Board or committee"),
            _("Result area"),
            _("Cost centre"),
            _("Amount (EUR, VAT 0 %)"),
        ]
        datasets = page.datasets

        def rows():
            for row in spend_line_rows(page.scope, filters):
                yield (datasets.get(row[0], row[0]), *row[1:])

        return export_response(
            page.export,
            f"keino-{page.organisation.slug}-lines",
            header,
            rows(),
            sheet_title=_("Invoice lines"),
        )
    with opened(page.scope) as scope:
        found, count = spend_lines(scope, filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        context = page.context(scope, base_url)
    pages = max(1, -(-count // PAGE_SIZE))
    context.update(
        {
            "lines": found,
            "line_count": count,
            "datasets": page.datasets,
            "pager": _pager(base_url, filters, number, pages, count),
            "export_url": base_url + p.query_string(filters, export="csv"),
            "export_xlsx_url": base_url + p.query_string(filters, export="xlsx"),
        }
    )
    return render(request, "dashboard/lines.html", context, status=page.status())


# Procurement categories ------------------------------------------------------------------------


RULE_NAMES = {
    RuleKind.LINE: gettext_lazy("Line override"),
    RuleKind.SUPPLIER: gettext_lazy("Supplier rule"),
    RuleKind.ACCOUNT: gettext_lazy("Account rule"),
    RuleKind.INDUSTRY: gettext_lazy("Industry rule"),
}


def _category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Sub-categories grouped under their top-level category, for a select."""
    known = taxonomy_categories()
    return [
        (top.name, [(sub.code, sub.name) for sub in known.values() if sub.parent == top.code])
        for top in known.values()
        if not top.parent
    ]


@organisation_view()
def categories(request: HttpRequest) -> HttpResponse:
    page = Page(request)
    filters = page.filters
    base_url = page.links.categories
    if not page.scope.files:
        return render(request, "dashboard/categories.html", page.context(page.scope, base_url))
    with opened(page.scope) as scope:
        totals = spend_by_category(scope, filters)
        coverage = coverage_of(totals)
        unclassified = {
            by: largest_unclassified(scope, filters, by=by, limit=10)
            for by in ("supplier", "account")
        }
        context = page.context(scope, base_url)
    known = taxonomy_categories()
    rows = []
    for total in totals:
        category = known.get(total.category)
        narrowed = filters.with_value("categories", total.category)
        rows.append(
            {
                "code": total.category,
                "name": p.value_label("category", total.category),
                "top": known[category.parent].name if category else "",
                "lines": total.lines,
                "total": total.total,
                "share": total.share,
                "rules": ", ".join(
                    f"{RULE_NAMES[kind]} {amount / total.total * 100:.0f} %"
                    for kind, amount in total.by_rule.items()
                    if total.total
                ),
                "suppliers_url": page.links.breakdown["supplier"] + p.query_string(narrowed),
                "lines_url": page.links.lines + p.query_string(narrowed),
            }
        )
    if page.export:
        header = [
            _("Category code"),
            _("Category"),
            _("Top-level category"),
            _("Lines"),
            _("Spend (EUR, VAT 0 %)"),
            _("Share"),
            _("Decided by"),
        ]
        return export_response(
            page.export,
            f"keino-{page.organisation.slug}-categories",
            header,
            [
                (r["code"], r["name"], r["top"], r["lines"], r["total"], r["share"], r["rules"])
                for r in rows
            ],
            sheet_title=_("Procurement categories"),
        )
    can_edit = request.organisation_access.allows(Role.ANALYST)
    rules = scoped(request, CategoryRule) if can_edit else []
    context.update(
        {
            "rows": rows,
            "coverage": coverage,
            "unclassified": unclassified,
            "can_edit": can_edit,
            "rules": [
                (rule, RULE_NAMES[rule.kind], p.value_label("category", rule.category))
                for rule in rules
            ],
            "category_choices": _category_choices(),
            "back": base_url + context["query"],
            "categories_page": True,
        }
    )
    return render(request, "dashboard/categories.html", context, status=page.status())


@organisation_view(Role.ANALYST)
@require_POST
def category_rule_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation_access.organisation
    try:
        category_rule_set(
            organisation=organisation,
            kind=request.POST.get("kind", ""),
            value=request.POST.get("value", ""),
            category=request.POST.get("category", ""),
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The rule is saved; the figures below use it."))
    return redirect(_back(request, organisation))


@organisation_view(Role.ANALYST)
@require_POST
def category_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    organisation = request.organisation_access.organisation
    rule = get_scoped_object_or_404(request, CategoryRule, pk=rule_id)
    category_rule_remove(rule=rule)
    messages.success(request, _("The rule is removed."))
    return redirect(_back(request, organisation))


def _back(request: HttpRequest, organisation) -> str:
    """The categories page again, with the filters it was sent from (never another site)."""
    base = reverse("dashboard:categories", kwargs={"org_slug": organisation.slug})
    back = request.POST.get("back", "")
    return back if back.startswith(base) else base
