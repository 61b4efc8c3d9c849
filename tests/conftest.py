import os
from pathlib import Path

import pytest

from keino.organisations.models import Organisation, OrganisationType, Role, User
from keino.organisations.services import membership_set


def shared_data_dir() -> Path | None:
    """The shared data folder beside the clone, or None when this clone has none."""
    configured = os.environ.get("KEINO_SHARED_DATA")
    candidate = (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    return candidate if candidate.is_dir() else None


@pytest.fixture
def shared_data() -> Path:
    folder = shared_data_dir()
    if folder is None:
        pytest.skip(
            "../shared/data is absent: it holds the real datasets and is not part of a clone"
        )
    return folder


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = settings.DATA_DIR / "uploads"


def make_organisation(slug: str, **fields) -> Organisation:
    defaults = {"name": slug.title(), "type": OrganisationType.MUNICIPALITY}
    return Organisation.objects.create(slug=slug, **{**defaults, **fields})


def make_user(username: str, **fields) -> User:
    return User.objects.create_user(username=username, password="a-long-test-password", **fields)


@pytest.fixture
def org_a(db) -> Organisation:
    return make_organisation("alpha", name="Alphan kunta")


@pytest.fixture
def org_b(db) -> Organisation:
    return make_organisation("beta", name="Betan kunta")


@pytest.fixture
def admin_a(org_a) -> User:
    user = make_user("admin-a", email="admin-a@example.invalid")
    membership_set(organisation=org_a, user=user, role=Role.ADMIN)
    return user
