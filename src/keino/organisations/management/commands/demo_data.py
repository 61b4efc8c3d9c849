import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from keino.organisations.demo import DEMO_PEOPLE, demo_data_create


class Command(BaseCommand):
    help = "Create the demo organisations and users (invented), or reuse them; print credentials."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the credentials as JSON.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo users are not created in production (DJANGO_ENV=production).")
        credentials = demo_data_create()
        if options["json"]:
            self.stdout.write(json.dumps(credentials))
            return
        roles = {
            "admin": "organisation admin in both demo organisations",
            "analyst": "analyst in Demokaupunki",
            "viewer": "viewer in Demokaupunki",
            "expert": "competence-centre expert coaching both",
            "staff": "platform staff (Django admin)",
        }
        self.stdout.write(self.style.SUCCESS("Demo users (user name / password):"))
        for username, *_ in DEMO_PEOPLE:
            self.stdout.write(f"  {username:<8} {credentials[username]:<18} {roles[username]}")
        self.stdout.write(f"Sign in at {settings.KEINO_BASE_URL}/accounts/login/")
