import re
import secrets
from pathlib import Path

from keino.core.config import ENV_VARS
from tests.core.test_cli import keino

README = Path(__file__).resolve().parents[2] / "README.md"


def production_env(**overrides: str) -> dict:
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "keino.example.fi",
        **overrides,
    }


def test_production_check_deploy_passes_with_required_variables(tmp_path):
    result = keino(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(), tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = keino("check", env=production_env(SECRET_KEY=""), tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_ENV=production needs these environment variables: SECRET_KEY" in result.stderr


def test_production_sends_secure_headers(tmp_path):
    collected = keino("collectstatic", "--no-input", "-v0", env=production_env(), tmp_path=tmp_path)
    assert collected.returncode == 0, collected.stderr
    result = keino(
        "shell",
        "-v0",
        "-c",
        "from django.test import Client;"
        "r = Client().get('/accounts/login/', secure=True, headers={'host': 'keino.example.fi'});"
        "print(r.status_code);"
        "print(r['Strict-Transport-Security']);"
        "print(r['Content-Security-Policy']);"
        "print(r['X-Content-Type-Options'], r['X-Frame-Options']);"
        "print(r.cookies['csrftoken']['secure'])",
        env=production_env(),
        tmp_path=tmp_path,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "200", result.stderr
    assert lines[1] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in lines[2] and "frame-ancestors 'none'" in lines[2]
    assert lines[3] == "nosniff DENY"
    assert lines[4] == "True"


def test_readme_documents_every_environment_variable():
    readme = README.read_text()
    undocumented = [name for name in ENV_VARS if not re.search(rf"`{name}`", readme)]
    assert undocumented == []


def test_readme_states_the_two_commands():
    readme = README.read_text()
    assert "make demo" in readme and "make test" in readme
