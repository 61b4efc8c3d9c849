"""Demo organisations and people, all invented: no real person's data is used.

Names are drawn from short lists of common Finnish and Swedish given names and surnames,
combined at random with a fixed seed, so a rerun yields the same people.
"""

import json
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.crypto import get_random_string
from stdnum.fi import ytunnus

from keino.organisations.models import Organisation, OrganisationType, Role, User
from keino.organisations.services import coaching_assign, membership_set

GIVEN_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Ilmari",
    "Kaisa",
    "Lauri",
    "Maija",
    "Oskar",
    "Saga",
    "Vilho",
]
SURNAMES = ["Demola", "Esimerkki", "Kokeilu", "Malliranta", "Testinen", "Harjoitus", "Lindqvist"]


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    type: str
    business_id_base: str
    municipality_code: str


DEMO_ORGANISATIONS = [
    DemoOrganisation(
        "demokaupunki", "Demokaupunki (demo)", OrganisationType.MUNICIPALITY, "9990001", "577"
    ),
    DemoOrganisation(
        "demohyvinvointialue",
        "Demon hyvinvointialue (demo)",
        OrganisationType.WELLBEING_SERVICES_COUNTY,
        "9990002",
        "",
    ),
]

# username, memberships {org slug: role}, is_expert, is_staff
DEMO_PEOPLE = [
    ("admin", {"demokaupunki": Role.ADMIN, "demohyvinvointialue": Role.ADMIN}, False, False),
    ("analyst", {"demokaupunki": Role.ANALYST}, False, False),
    ("viewer", {"demokaupunki": Role.VIEWER}, False, False),
    ("expert", {}, True, False),
    ("staff", {}, False, True),
]


def _business_id(base: str) -> str:
    """The business id with a valid check digit for a seven-digit base (some bases have none)."""
    return next(f"{base}-{d}" for d in range(10) if ytunnus.is_valid(f"{base}-{d}"))


def _credentials_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-credentials.json"


@transaction.atomic
def demo_data_create() -> dict[str, str]:
    """Create or reuse the demo organisations and people; return user names and passwords.

    Passwords are generated on the first run and kept in the data folder, so that a rerun
    prints the same credentials.
    """
    path = _credentials_path()
    credentials: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    rng = random.Random(577)  # noqa: S311 - invented names, not security
    organisations = {}
    for demo in DEMO_ORGANISATIONS:
        organisations[demo.slug], _ = Organisation.objects.get_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "type": demo.type,
                "business_id": _business_id(demo.business_id_base),
                "municipality_code": demo.municipality_code,
            },
        )
    for username, memberships, is_expert, is_staff in DEMO_PEOPLE:
        first_name, last_name = rng.choice(GIVEN_NAMES), rng.choice(SURNAMES)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.invalid",
                "is_expert": is_expert,
                "is_staff": is_staff,
                "is_superuser": is_staff,
            },
        )
        if created or username not in credentials or not user.check_password(credentials[username]):
            credentials[username] = credentials.get(username) or get_random_string(16)
            user.set_password(credentials[username])
            user.save()
        for slug, role in memberships.items():
            membership_set(organisation=organisations[slug], user=user, role=role)
        if is_expert:
            for organisation in organisations.values():
                coaching_assign(expert=user, organisation=organisation)
    path.write_text(json.dumps(credentials, indent=2))
    path.chmod(0o600)
    return credentials
