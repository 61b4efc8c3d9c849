import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from keino.organisations.models import OrganisationType
from keino.organisations.services import organisation_create


class Command(BaseCommand):
    help = "Create an organisation (a procurement unit)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short name used in addresses and commands, e.g. paimio.")
        parser.add_argument("--name", required=True, help="Full name, e.g. 'Paimion kaupunki'.")
        parser.add_argument(
            "--type", required=True, choices=OrganisationType.values, help="Organisation type."
        )
        parser.add_argument("--business-id", default="", help="Finnish business id, 1234567-8.")
        parser.add_argument(
            "--municipality-code", default="", help="Three-digit municipality code, e.g. 577."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        try:
            organisation = organisation_create(
                slug=options["slug"],
                name=options["name"],
                type=options["type"],
                business_id=options["business_id"],
                municipality_code=options["municipality_code"],
            )
        except ValidationError as error:
            raise CommandError(_validation_text(error)) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "id": organisation.pk,
                        "slug": organisation.slug,
                        "name": organisation.name,
                        "type": organisation.type,
                        "business_id": organisation.business_id,
                        "municipality_code": organisation.municipality_code,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Created organisation {organisation.slug}: {organisation.name}")
            )


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
