"""The `keino` command: Django's management commands with Keino's settings."""

import os
import sys

CLI_LANGUAGES = {"fi", "sv", "en"}


def cli_language(environ: dict[str, str] | os._Environ = os.environ) -> str:
    """The language of command-line messages, from the POSIX locale variables (default en)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return code if code in CLI_LANGUAGES else "en"
    return "en"


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keino.core.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()
    translation.activate(cli_language())
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "keino"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
