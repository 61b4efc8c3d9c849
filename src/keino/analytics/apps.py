from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "keino.analytics"
    label = "analytics"
    verbose_name = _("Spend analytics")

    def ready(self) -> None:
        from keino.analytics import signals  # noqa: F401 - connects the receivers
