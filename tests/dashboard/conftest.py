import csv
import io

import openpyxl
import pytest
from django.test import Client

from keino.organisations.models import Role
from keino.organisations.services import membership_set
from tests.analytics.conftest import register, spend  # noqa: F401 - the shared tiny fixture
from tests.conftest import make_user


@pytest.fixture
def client_of(spend):  # noqa: F811
    """A signed-in client of a member of the buyer, reading English."""

    def make(role: Role = Role.VIEWER) -> Client:
        user = make_user(f"{role}-of-buyer")
        membership_set(organisation=spend.buyer, user=user, role=role)
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return make


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))
