import pytest
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db
def test_sign_in_with_a_wrong_password_is_refused_and_the_right_one_works(client, admin_a):
    wrong = client.post(
        reverse("login"),
        {"username": "admin-a", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 200
    assert not wrong.wsgi_request.user.is_authenticated
    assert 'class="error-summary" role="alert"' in wrong.content.decode()

    right = client.post(
        reverse("login"), {"username": "admin-a", "password": "a-long-test-password"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/"
    assert client.get("/").status_code == 302  # on to the only organisation

    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_password_reset_mails_a_working_link(client, admin_a):
    response = client.post(reverse("password_reset"), {"email": "admin-a@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    confirm = client.get(link.split("testserver", 1)[1], follow=True)
    assert confirm.context["validlink"] is True
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "another-long-password-7", "new_password2": "another-long-password-7"},
    )
    assert done.status_code == 302
    admin_a.refresh_from_db()
    assert admin_a.check_password("another-long-password-7")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_tells_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.invalid"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "skip_link"),
    [("fi", "Siirry sisältöön"), ("sv", "Hoppa till innehållet"), ("en", "Skip to content")],
)
def test_language_switch_changes_the_page_language(client, language, skip_link):
    response = client.post(
        reverse("set_language"), {"language": language, "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert f'<html lang="{language}">' in page
    assert skip_link in page


@pytest.mark.django_db
def test_finnish_is_the_default_language(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="fi">' in page
    assert "Kirjaudu sisään" in page


@pytest.mark.django_db
def test_health_check_answers(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
