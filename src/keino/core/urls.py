from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from keino.core import views
from keino.organisations import views as organisation_views
from keino.organisations.access import public_view

auth_patterns = [
    path("login/", public_view(auth_views.LoginView.as_view()), name="login"),
    path("logout/", public_view(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password-reset/",
        public_view(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        public_view(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        public_view(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        public_view(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

# Everything under o/<org_slug>/ is organisation-scoped: see keino.organisations.access.
organisation_patterns = [
    path("", include("keino.organisations.urls")),
    path("jobs/", include("keino.jobs.urls")),
    path("invoices/", include("keino.invoices.urls")),
    path("dashboard/", include("keino.dashboard.urls")),
    path("notices/", include("keino.notices.urls")),
]

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("accounts/", include(auth_patterns)),
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("o/<slug:org_slug>/", include(organisation_patterns)),
    path("admin/", admin.site.urls),
]
