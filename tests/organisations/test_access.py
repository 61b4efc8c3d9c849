import pytest
from django.urls import reverse

from keino.organisations.access import organisation_access
from keino.organisations.models import Role
from keino.organisations.services import coaching_assign, membership_set
from tests.conftest import make_user


def overview(org):
    return reverse("organisations:overview", kwargs={"org_slug": org.slug})


def members(org):
    return reverse("organisations:members", kwargs={"org_slug": org.slug})


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client, org_a):
    response = client.get(overview(org_a))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={overview(org_a)}"


@pytest.mark.django_db
def test_member_sees_own_organisation_and_not_another(client, org_a, org_b, admin_a):
    client.force_login(admin_a)
    assert client.get(overview(org_a)).status_code == 200
    assert client.get(overview(org_b)).status_code == 404
    assert client.get("/o/no-such-organisation/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "members_get", "members_post", "member_detail"),
    [
        (Role.VIEWER, 200, 403, 403),
        (Role.ANALYST, 200, 403, 403),
        (Role.ADMIN, 200, 200, 200),
    ],
)
def test_role_decides_what_a_member_may_do(
    client, org_a, role, members_get, members_post, member_detail
):
    user = make_user(f"{role}-user")
    membership = membership_set(organisation=org_a, user=user, role=role)
    client.force_login(user)
    assert client.get(members(org_a)).status_code == members_get
    # An invalid form re-renders with 200 for an admin; others are refused before validation.
    assert client.post(members(org_a), {"email": "not-an-address"}).status_code == members_post
    detail = reverse(
        "organisations:member_detail",
        kwargs={"org_slug": org_a.slug, "membership_id": membership.pk},
    )
    assert client.get(detail).status_code == member_detail


@pytest.mark.django_db
def test_expert_reads_coached_organisations_only(client, org_a, org_b):
    expert = make_user("expert", is_expert=True)
    coaching_assign(expert=expert, organisation=org_a)
    access = organisation_access(expert, org_a.slug)
    assert access is not None
    assert access.role == Role.VIEWER
    assert access.via_coaching is True
    client.force_login(expert)
    assert client.get(overview(org_a)).status_code == 200
    assert client.get(overview(org_b)).status_code == 404
    assert client.post(members(org_a), {"email": "x@example.invalid"}).status_code == 403


@pytest.mark.django_db
def test_expert_flag_removed_ends_coaching_access(org_a):
    expert = make_user("former-expert", is_expert=True)
    coaching_assign(expert=expert, organisation=org_a)
    expert.is_expert = False
    expert.save()
    assert organisation_access(expert, org_a.slug) is None


@pytest.mark.django_db
def test_platform_staff_get_no_organisation_data_by_being_staff(client, org_a):
    staff = make_user("staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(overview(org_a)).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_admin_site_refuses_non_staff(client, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_inactive_member_has_no_access(org_a, admin_a):
    admin_a.is_active = False
    admin_a.save()
    assert organisation_access(admin_a, org_a.slug) is None


@pytest.mark.django_db
def test_home_redirects_a_single_membership_and_lists_several(client, org_a, org_b, admin_a):
    client.force_login(admin_a)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == overview(org_a)
    membership_set(organisation=org_b, user=admin_a, role=Role.VIEWER)
    response = client.get("/?choose=1")
    assert response.status_code == 200
    assert [org.slug for org in response.context["organisations"]] == ["alpha", "beta"]
    # The switcher in the header lists both organisations.
    html = response.content.decode()
    assert html.count('href="/o/alpha/"') >= 2 and 'href="/o/beta/"' in html
