from django.urls import path

from keino.dashboard import footprint, views

app_name = "dashboard"

# Included under "o/<slug:org_slug>/dashboard/": every view here is an organisation_view.
# Filters live in the query string (see keino.analytics.filters), so any state can be shared.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("by/<slug:dimension>/", views.breakdown, name="breakdown"),
    path("lines/", views.lines, name="lines"),
    path("categories/", views.categories, name="categories"),
    path("categories/rules/", views.category_rule_add, name="category_rule_add"),
    path(
        "categories/rules/<int:rule_id>/delete/",
        views.category_rule_delete,
        name="category_rule_delete",
    ),
    path("footprint/", footprint.overview, name="footprint"),
    path("footprint/by/<slug:dimension>/", footprint.breakdown, name="footprint_breakdown"),
    path("footprint/lines/", footprint.lines, name="footprint_lines"),
    path("footprint/method/", footprint.method, name="footprint_method"),
    path(
        "footprint/factor-sets/<int:set_id>/use/",
        footprint.factor_set_use,
        name="footprint_factor_set_use",
    ),
]
