"""The import report: the same figures for the CLI's JSON, the web page and the tests."""

from keino.invoices.importers.messages import render_problem, render_warning
from keino.invoices.models import InvoiceDataset


def import_report(dataset: InvoiceDataset) -> dict:
    return {
        "dataset_id": dataset.pk,
        "file": dataset.original_name,
        "sha256": dataset.sha256,
        "layout": dataset.layout,
        "fiscal_year": dataset.fiscal_year,
        "rows_read": dataset.rows_read,
        "rows_accepted": dataset.rows_accepted,
        "rows_rejected": dataset.rows_rejected,
        "sum_accepted": f"{dataset.sum_accepted:.2f}",
        "by_year": dataset.by_year,
        "problem_counts": dataset.problem_counts,
        "warnings": [render_warning(code, params) for code, params in dataset.warnings],
        "errors_sample": [
            {
                "row": problem["row_number"],
                "column": problem["column"],
                "value": problem["value"],
                "severity": problem["severity"],
                "code": problem["code"],
                "reason": render_problem(problem["code"], problem["value"] or ""),
            }
            for problem in dataset.problems_sample
        ],
    }
