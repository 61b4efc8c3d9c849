import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from keino.organisations.models import Membership, Organisation, Role
from keino.organisations.services import (
    member_invite,
    membership_change_role,
    membership_remove,
    membership_set,
    organisation_create,
)
from keino.organisations.validators import normalise_business_id
from tests.conftest import make_user


@pytest.mark.parametrize(
    ("given", "expected"),
    [("0136169-2", "0136169-2"), ("01361692", "0136169-2"), (" 0136169-2 ", "0136169-2")],
)
def test_business_id_is_normalised(given, expected):
    assert normalise_business_id(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("0136169-3", "Business id 0136169-3 has a wrong check digit."),
        ("123", "Business id 123 is not of the form 1234567-8."),
        ("abcdefg-h", "Business id abcdefg-h is not of the form 1234567-8."),
    ],
)
def test_invalid_business_id_is_refused_with_its_reason(given, message):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        normalise_business_id(given)
    assert error.value.messages == [message]


def test_business_id_message_is_in_the_users_language():
    for language, message in [
        ("fi", "Y-tunnuksen 0136169-3 tarkistusnumero on väärä."),
        ("sv", "FO-numret 0136169-3 har fel kontrollsiffra."),
    ]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            normalise_business_id("0136169-3")
        assert error.value.messages == [message]


@pytest.mark.django_db
def test_organisation_create_validates_and_stores():
    organisation = organisation_create(
        slug="paimio",
        name="Paimion kaupunki",
        type="municipality",
        business_id="01361692",
        municipality_code="577",
    )
    stored = Organisation.objects.get(slug="paimio")
    assert stored.pk == organisation.pk
    assert (stored.business_id, stored.municipality_code) == ("0136169-2", "577")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"type": "city"}, None),
        ({"municipality_code": "57"}, "municipality_code"),
        ({"slug": "not a slug"}, "slug"),
    ],
)
def test_organisation_create_refuses_bad_fields(fields, field_in_error):
    arguments = {"slug": "x", "name": "X", "type": "municipality", **fields}
    with pytest.raises(ValidationError) as error:
        organisation_create(**arguments)
    if field_in_error:
        assert field_in_error in error.value.message_dict
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_business_id_is_unique_but_may_be_empty_for_many():
    organisation_create(slug="a", name="A", type="other")
    organisation_create(slug="b", name="B", type="other")
    organisation_create(slug="c", name="C", type="other", business_id="0136169-2")
    with pytest.raises(ValidationError):
        organisation_create(slug="d", name="D", type="other", business_id="0136169-2")


@pytest.mark.django_db
def test_the_last_admin_cannot_be_removed_or_demoted(org_a, admin_a):
    membership = Membership.objects.get(user=admin_a)
    with pytest.raises(ValidationError):
        membership_remove(membership=membership)
    with pytest.raises(ValidationError):
        membership_change_role(membership=membership, role=Role.VIEWER)
    second = membership_set(organisation=org_a, user=make_user("second"), role=Role.ADMIN)
    membership_change_role(membership=membership, role=Role.VIEWER)
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER
    with pytest.raises(ValidationError):
        membership_remove(membership=second)


@pytest.mark.django_db(transaction=True)
def test_inviting_a_new_person_creates_an_account_and_mails_a_link(org_a, client):
    membership = member_invite(
        organisation=org_a, email="New.Person@Example.invalid", role=Role.ANALYST, first_name="Uusi"
    )
    assert membership.role == Role.ANALYST
    assert membership.user.username == "new.person@example.invalid"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["New.Person@example.invalid"]
    assert "Alphan kunta" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True


@pytest.mark.django_db(transaction=True)
def test_inviting_an_existing_person_sends_no_mail_and_keeps_one_account(org_a, org_b):
    existing = make_user("existing", email="existing@example.invalid")
    membership = member_invite(
        organisation=org_b, email="EXISTING@example.invalid", role=Role.VIEWER
    )
    assert membership.user == existing
    assert mail.outbox == []


@pytest.mark.django_db
def test_admin_adds_and_removes_a_member_through_the_pages(client, org_a, admin_a):
    client.force_login(admin_a)
    url = reverse("organisations:members", kwargs={"org_slug": org_a.slug})
    response = client.post(url, {"email": "colleague@example.invalid", "role": "analyst"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="colleague@example.invalid")
    assert membership.role == Role.ANALYST
    remove = reverse(
        "organisations:member_remove",
        kwargs={"org_slug": org_a.slug, "membership_id": membership.pk},
    )
    assert client.post(remove).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    own = Membership.objects.get(user=admin_a)
    own_remove = reverse(
        "organisations:member_remove", kwargs={"org_slug": org_a.slug, "membership_id": own.pk}
    )
    response = client.post(own_remove, follow=True, headers={"accept-language": "en"})
    assert "An organisation must keep at least one admin." in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
