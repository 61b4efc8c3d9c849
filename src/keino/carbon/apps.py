from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_default_factors(sender, using, **kwargs):
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    from keino.carbon.services import default_factor_set_load

    # Only when the database has this app's latest schema (not after migrating it backwards).
    loader = MigrationLoader(connections[using])
    if set(loader.graph.leaf_nodes("carbon")) <= set(loader.applied_migrations):
        default_factor_set_load()


class CarbonConfig(AppConfig):
    name = "keino.carbon"
    label = "carbon"
    verbose_name = _("Carbon footprint")

    def ready(self):
        # Every database has the platform's default factor set once migrated (idempotent).
        post_migrate.connect(_load_default_factors, sender=self)
