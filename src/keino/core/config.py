"""The environment variables that configure Keino, in one typed registry.

Every variable is declared here with its default and help text; the settings module reads
only through `env()`, and a test checks that the README documents each one.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str
    help: str
    required_in_production: bool = False


ENV_VARS: dict[str, EnvVar] = {
    var.name: var
    for var in [
        EnvVar(
            "DJANGO_ENV",
            "development",
            "`development` (debug on, console e-mail) or `production` (secure settings).",
        ),
        EnvVar(
            "SECRET_KEY",
            "",
            "Django's signing key. Required in production; development uses a fixed insecure key.",
            required_in_production=True,
        ),
        EnvVar(
            "DATABASE_URL",
            "",
            "Database URL, e.g. `postgres://user:pass@127.0.0.1:5432/keino`. Default: the "
            "SQLite file `$KEINO_DATA_DIR/keino.sqlite3`.",
        ),
        EnvVar(
            "KEINO_DATA_DIR",
            "./var",
            "Folder for the SQLite file, uploaded originals, Parquet datasets and collected "
            "static files.",
        ),
        EnvVar(
            "ALLOWED_HOSTS",
            "",
            "Comma-separated host names the site answers to. Required in production; "
            "development allows localhost and 127.0.0.1.",
            required_in_production=True,
        ),
        EnvVar(
            "CSRF_TRUSTED_ORIGINS",
            "",
            "Comma-separated origins (`https://keino.example.fi`) trusted for form posts.",
        ),
        EnvVar(
            "KEINO_BEHIND_TLS_PROXY",
            "false",
            "`true` when a reverse proxy terminates TLS and sets `X-Forwarded-Proto`.",
        ),
        EnvVar(
            "KEINO_BASE_URL",
            "http://127.0.0.1:8000",
            "The site's public address, used in links of mail sent outside a web request "
            "(e.g. invitations made on the command line).",
        ),
        EnvVar(
            "KEINO_MAX_UPLOAD_MB",
            "1000",
            "Largest purchase-invoice file accepted for upload, in megabytes.",
        ),
        EnvVar(
            "KEINO_MAX_SPREADSHEET_UNPACKED_MB",
            "500",
            "Largest unpacked size of an XLSX workbook, in megabytes; larger ones are refused "
            "(zip bombs, and workbooks better imported as CSV).",
        ),
        EnvVar(
            "EMAIL_URL",
            "",
            "SMTP server for password-reset mail, `smtp://user:pass@host:587` (STARTTLS) or "
            "`smtps://…:465`. Default: mail is printed to the console.",
        ),
        EnvVar(
            "DEFAULT_FROM_EMAIL",
            "keino@localhost",
            "Sender address of the mail Keino sends.",
        ),
    ]
}


def env(name: str) -> str:
    """The value of a declared environment variable, or its default."""
    return os.environ.get(name, ENV_VARS[name].default)


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


def env_bool(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}
