import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from keino.cli import cli_language
from keino.organisations.models import Organisation

REPO = Path(__file__).resolve().parents[2]


def keino(*args: str, env: dict | None = None, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the installed `keino` console command in a fresh process with its own data folder."""
    command = Path(sys.executable).parent / "keino"
    # The browser tests allow Django's ORM inside Playwright's event loop; a deployment must not.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "KEINO_DATA_DIR": str(tmp_path / "cli-data"),
        "DATABASE_URL": "",
        "DJANGO_ENV": "development",
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        **(env or {}),
    }
    return subprocess.run(  # noqa: S603
        [str(command), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        check=False,
    )


def test_keino_help_lists_django_and_keino_commands(tmp_path):
    result = keino("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    for command in ("migrate", "createsuperuser", "create_org", "demo_data", "serve", "db_worker"):
        assert f"    {command}\n" in result.stdout


def test_create_org_end_to_end_on_a_fresh_database(tmp_path):
    assert keino("migrate", "--no-input", "-v0", tmp_path=tmp_path).returncode == 0
    result = keino(
        "create_org",
        "paimio",
        "--name",
        "Paimion kaupunki",
        "--type",
        "municipality",
        "--business-id",
        "0136169-2",
        "--municipality-code",
        "577",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Created organisation paimio: Paimion kaupunki"
    refused = keino(
        "create_org",
        "other",
        "--name",
        "Other",
        "--type",
        "municipality",
        "--business-id",
        "0136169-3",
        tmp_path=tmp_path,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == "CommandError: Business id 0136169-3 has a wrong check digit."
    assert "Traceback" not in refused.stderr


@pytest.mark.django_db
def test_create_org_prints_json(capsys):
    call_command(
        "create_org", "kaarina", "--name", "Kaarinan kaupunki", "--type", "municipality", "--json"
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["slug"] == "kaarina"
    assert printed["business_id"] == ""
    assert Organisation.objects.get(slug="kaarina").name == "Kaarinan kaupunki"


@pytest.mark.django_db
def test_create_org_refuses_a_taken_slug_and_unknown_type():
    call_command("create_org", "kaarina", "--name", "Kaarina", "--type", "municipality")
    with (
        translation.override("en"),
        pytest.raises(
            CommandError, match="slug: Organisation with this Short name already exists."
        ),
    ):
        call_command("create_org", "kaarina", "--name", "Kaarina 2", "--type", "municipality")
    with pytest.raises(CommandError, match="invalid choice: 'city'"):
        call_command("create_org", "x", "--name", "X", "--type", "city")


@pytest.mark.django_db
def test_demo_data_is_reused_on_a_second_run(capsys):
    call_command("demo_data", "--json")
    first = json.loads(capsys.readouterr().out)
    call_command("demo_data", "--json")
    second = json.loads(capsys.readouterr().out)
    assert first == second
    assert set(first) == {"admin", "analyst", "viewer", "expert", "staff"}
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "fi_FI.UTF-8"}, "fi"),
        ({"LANG": "sv_FI.UTF-8"}, "sv"),
        ({"LC_ALL": "sv_SE.UTF-8", "LANG": "fi_FI.UTF-8"}, "sv"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_cli_language_follows_the_locale(environ, language):
    assert cli_language(environ) == language
