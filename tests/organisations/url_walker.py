"""Walk a URL configuration and prove that organisation-scoped views do not leak.

For each organisation-scoped URL pattern, objects are made for every id in the pattern in two
organisations, A and B; a member of A (with the highest role) must get 404 for B's
organisation and for B's objects under A's address, and must not get 404 for A's own.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keino.carbon.models import FactorSet
from keino.categories.models import CategoryRule
from keino.invoices.services import invoice_dataset_import, invoice_file_store
from keino.jobs.models import Job
from keino.notices.models import Notice
from keino.organisations.access import access_scope_of
from keino.organisations.models import Membership, Organisation, Role, User

# How to make an object of an organisation for each id that appears in a URL. A new
# organisation-scoped URL with another id fails the walk until a factory is added here.
OBJECT_FACTORIES: dict[str, Callable[[Organisation], int]] = {
    "membership_id": lambda organisation: (
        Membership.objects.create(
            organisation=organisation,
            user=User.objects.create_user(
                username=f"member-of-{organisation.slug}-{User.objects.count()}"
            ),
            role=Role.VIEWER,
        ).pk
    ),
    "job_id": lambda organisation: (
        Job.objects.create(organisation=organisation, kind="test", title="Test job").pk
    ),
}


def _imported_dataset(organisation: Organisation) -> int:
    rows = (
        "Tositepäivämäärä;Toimittajan nimi;Laskun summa ilman ALV\n1.2.2024;Testi Oy;10,00\n;x;\n"
    )
    dataset = invoice_file_store(
        organisation=organisation,
        file=io.BytesIO(rows.encode()),
        filename="walker.csv",
        force=True,
    )
    return invoice_dataset_import(dataset=dataset).pk


OBJECT_FACTORIES["dataset_id"] = _imported_dataset

# Sample values of URL parameters that name no object (a dashboard's dimension): the same
# value is used in A and B, and only B's organisation is tried with it.
PARAMETER_SAMPLES = {"dimension": "supplier"}

# Sample values for ids of public views, which have no organisation.
PUBLIC_SAMPLE_KWARGS = {"uidb64": "MQ", "token": "abc-123"}

SKIPPED_NAMESPACES = {"admin"}  # Django admin: staff only, checked by its own test


@dataclass
class WalkedPattern:
    name: str
    kwarg_names: list[str]
    view: Callable


def walk(urlconf: str | None = None) -> Iterator[WalkedPattern]:
    def visit(resolver: URLResolver, namespaces: list[str], kwarg_names: list[str]):
        for entry in resolver.url_patterns:
            converters = list(getattr(entry.pattern, "converters", {}).keys())
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                names = [*namespaces, entry.namespace] if entry.namespace else namespaces
                yield from visit(entry, names, kwarg_names + converters)
            elif isinstance(entry, URLPattern):
                name = ":".join([*namespaces, entry.name or "<unnamed>"])
                yield WalkedPattern(name, kwarg_names + converters, entry.callback)

    yield from visit(get_resolver(urlconf), [], [])


def problems_in(urlconf: str | None = None) -> list[str]:
    """Everything wrong with access control in a URL configuration; empty when all is well."""
    problems: list[str] = []
    org_a = Organisation.objects.create(slug="walker-a", name="A", type="municipality")
    org_b = Organisation.objects.create(slug="walker-b", name="B", type="municipality")
    member_of_a = User.objects.create_user(username="walker-member-of-a")
    Membership.objects.create(organisation=org_a, user=member_of_a, role=Role.ADMIN)
    client = Client()
    anonymous = Client()
    client.force_login(member_of_a)

    for pattern in walk(urlconf):
        scope = access_scope_of(pattern.view)
        if pattern.name.endswith("<unnamed>"):
            problems.append(f"{pattern.name}: every URL pattern needs a name")
            continue
        if scope is None:
            problems.append(
                f"{pattern.name}: the view has no access marker "
                "(organisation_view, user_view or public_view)"
            )
            continue
        kind, _role = scope
        if kind == "organisation":
            problems.extend(_check_organisation_pattern(pattern, client, org_a, org_b, urlconf))
        elif kind == "user":
            url = reverse(pattern.name, urlconf=urlconf)
            response = anonymous.get(url)
            if response.status_code != 302 or "/login/" not in response["Location"]:
                problems.append(f"{pattern.name}: an anonymous visitor was not sent to sign in")
        elif kind == "public":
            kwargs = {name: PUBLIC_SAMPLE_KWARGS[name] for name in pattern.kwarg_names}
            response = anonymous.get(reverse(pattern.name, kwargs=kwargs, urlconf=urlconf))
            if response.status_code >= 500:
                problems.append(f"{pattern.name}: public view failed with {response.status_code}")
    return problems


def _check_organisation_pattern(pattern, client, org_a, org_b, urlconf) -> list[str]:
    if "org_slug" not in pattern.kwarg_names:
        return [f"{pattern.name}: an organisation view must be under o/<org_slug>/"]
    parameters = {
        name: PARAMETER_SAMPLES[name] for name in pattern.kwarg_names if name in PARAMETER_SAMPLES
    }
    object_kwargs = [
        name for name in pattern.kwarg_names if name != "org_slug" and name not in parameters
    ]
    missing = [name for name in object_kwargs if name not in OBJECT_FACTORIES]
    if missing:
        return [
            f"{pattern.name}: no object factory for {', '.join(missing)}; "
            "add one to OBJECT_FACTORIES in tests/organisations/url_walker.py"
        ]
    objects_a = {name: OBJECT_FACTORIES[name](org_a) for name in object_kwargs}
    objects_b = {name: OBJECT_FACTORIES[name](org_b) for name in object_kwargs}

    def url(org, objects):
        return reverse(
            pattern.name,
            kwargs={"org_slug": org.slug, **parameters, **objects},
            urlconf=urlconf,
        )

    problems = []
    attempts = [("B's organisation", url(org_b, objects_b))]
    if object_kwargs:
        attempts.append(("B's objects under A's address", url(org_a, objects_b)))
    for what, address in attempts:
        # A method the view does not accept may answer 405, which tells nothing about B;
        # every other answer must be 404, and at least one method must reach the lookup.
        statuses = {
            method: getattr(client, method)(address).status_code for method in ("get", "post")
        }
        for method, status in statuses.items():
            if status not in (404, 405):
                problems.append(
                    f"{pattern.name}: {method.upper()} {address} ({what}) "
                    f"answered {status}, not 404"
                )
        if 404 not in statuses.values() and not problems:
            problems.append(f"{pattern.name}: {address} ({what}) never reached a 404 check")
    own = client.get(url(org_a, objects_a)).status_code
    if own == 404:
        problems.append(f"{pattern.name}: a member of A got 404 for A's own objects")
    return problems


def _category_rule(organisation: Organisation) -> int:
    return CategoryRule.objects.create(
        organisation=organisation, kind="account", value="4340", category="expert.consulting"
    ).pk


OBJECT_FACTORIES["rule_id"] = _category_rule


def _factor_set(organisation: Organisation) -> int:
    return FactorSet.objects.create(
        organisation=organisation,
        name="Walker factors",
        source="a test",
        licence="CC0",
        data_year=2022,
        price_basis="EUR",
    ).pk


OBJECT_FACTORIES["set_id"] = _factor_set


def _notice(organisation: Organisation) -> int:
    return Notice.objects.create(
        organisation=organisation,
        notice_id=f"walker-{organisation.slug}",
        version="01",
        notice_type="cn-standard",
        source_format="eforms",
    ).pk


OBJECT_FACTORIES["notice_pk"] = _notice
