import argparse
import json
import os
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from keino.notices.fetch import (
    DEFAULT_KEY_HEADER,
    DEFAULT_TIMEOUT,
    NoticeServiceClient,
    NoticeServiceError,
)
from keino.notices.services import notices_import
from keino.organisations.models import Organisation


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Fetch an organisation's tender notices from the national notice service and import "
        "them. Configured by the environment: KEINO_NOTICE_API_URL (the search endpoint, "
        "required), KEINO_NOTICE_API_KEY, KEINO_NOTICE_API_KEY_HEADER "
        f"(default {DEFAULT_KEY_HEADER}), KEINO_NOTICE_API_TIMEOUT (seconds, default "
        f"{DEFAULT_TIMEOUT:g}). See docs/notices.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument(
            "--since", type=iso_date, help="Only notices published on or after this date."
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        client = self._client()
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        if not organisation.business_id:
            raise CommandError(
                f"Organisation {organisation.slug!r} has no business id: the notice service "
                "finds notices by the buyer's business id."
            )

        def page_read(page: int, count: int) -> None:
            if not options["json"]:
                self.stderr.write(f"Page {page}: {count} notices listed.")

        try:
            found = list(
                client.search(organisation.business_id, options["since"], on_page=page_read)
            )
        except NoticeServiceError as error:
            raise CommandError(str(error)) from None
        # Fetched one by one as the import reads them, so only one notice is held at a time.
        sources = ((f"{notice_id}.xml", client.notice(url)) for notice_id, url in found)
        try:
            report = notices_import(organisation=organisation, sources=sources)
        except NoticeServiceError as error:
            raise CommandError(
                f"{error} The notices imported before it stay; running again fetches the rest."
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        for line in report.as_text():
            self.stdout.write(line)

    def _client(self) -> NoticeServiceClient:
        url = os.environ.get("KEINO_NOTICE_API_URL", "").strip()
        if not url:
            raise CommandError(
                "KEINO_NOTICE_API_URL is not set: set it to the notice service's search endpoint "
                "(see docs/notices.md)."
            )
        timeout_text = os.environ.get("KEINO_NOTICE_API_TIMEOUT", "").strip()
        try:
            timeout = float(timeout_text) if timeout_text else DEFAULT_TIMEOUT
        except ValueError:
            timeout = -1.0
        if not timeout > 0:
            raise CommandError(
                f"KEINO_NOTICE_API_TIMEOUT is {timeout_text!r}: expected seconds, e.g. 30."
            )
        try:
            return NoticeServiceClient(
                url,
                key=os.environ.get("KEINO_NOTICE_API_KEY", "").strip() or None,
                key_header=os.environ.get("KEINO_NOTICE_API_KEY_HEADER", "").strip()
                or DEFAULT_KEY_HEADER,
                timeout=timeout,
            )
        except NoticeServiceError as error:
            raise CommandError(str(error)) from None
