"""Keep each organisation's spend store in step with its datasets.

A store is derived data: when a dataset becomes ready the organisation's store is built (in
the import's worker, so the first dashboard visit is fast); when a dataset is deleted every
store of the organisation goes with it, so deleted lines do not live on in a copy.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from keino.analytics.engine import spend_scope, spend_store_prepare, spend_stores_remove
from keino.invoices.models import DatasetStatus, InvoiceDataset

logger = logging.getLogger(__name__)


def _prepare(organisation) -> None:
    # A dataset imported again keeps its id and file name: drop the stores made before.
    spend_stores_remove(organisation.pk)
    try:
        spend_store_prepare(spend_scope(organisation))
    except Exception:
        # The dashboard builds the store itself when it is missing; the import stays done.
        logger.exception("Could not build the spend store of %s", organisation.slug)


@receiver(post_save, sender=InvoiceDataset)
def dataset_saved(sender, instance: InvoiceDataset, **kwargs) -> None:
    if instance.status == DatasetStatus.READY:
        organisation = instance.organisation
        transaction.on_commit(lambda: _prepare(organisation))


@receiver(post_delete, sender=InvoiceDataset)
def dataset_deleted(sender, instance: InvoiceDataset, **kwargs) -> None:
    organisation_id = instance.organisation_id
    transaction.on_commit(lambda: spend_stores_remove(organisation_id))
