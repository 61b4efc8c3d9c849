import json

from django.core.management.base import BaseCommand, CommandError

from keino.notices.selectors import (
    AIMS,
    GROUPINGS,
    INNOVATION_TARGET,
    notice_indicators,
    spend_link,
)
from keino.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Print the indicators of an organisation's tender notices: lots, value and the shares "
        "with environmental, social and innovation aims and green criteria, and how much of "
        "its spend went to the winners of such lots."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's short name.")
        parser.add_argument("--by", choices=GROUPINGS, default="year", help="Grouping.")
        parser.add_argument("--year", type=int, action="append", help="A year (repeatable).")
        parser.add_argument(
            "--type", action="append", dest="types", help="A notice type, e.g. competition."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        result = notice_indicators(
            organisation.pk,
            options["by"],
            years=tuple(options["year"] or ()),
            notice_types=tuple(options["types"] or ()),
        )
        link = spend_link(organisation)
        summary = {
            "organisation": organisation.slug,
            "by": result.by,
            "innovation_target": str(INNOVATION_TARGET),
            "innovation_target_met": result.innovation_target_met,
            "total": result.total.as_dict(),
            "rows": [row.as_dict() for row in result.rows],
            "spend": {
                "total": str(link.spend),
                "with_award_winners": str(link.with_winners),
                **{aim: str(link.by_aim[aim]) for aim in AIMS},
            },
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        total = result.total
        self.stdout.write(
            f"{organisation.name}: {total.lots} lots, {total.value} EUR; innovation aim in "
            f"{total.aim_lots['innovation_aim']} of {total.lots} lots (target "
            f"{INNOVATION_TARGET * 100:.0f} %)"
        )
        for row in result.rows:
            aims = ", ".join(f"{aim} {row.aim_lots[aim]}/{row.lots}" for aim in AIMS)
            self.stdout.write(f"  {row.key}: {row.lots} lots, {row.value} EUR; {aims}")
