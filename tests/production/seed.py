"""Fill the production stack's database (run by conftest.py in a subprocess with the stack's
environment): the web tests' world (2 districts × 2 schools, imported and assessed through the
use cases, users by role with the browser tests' password), the system administrator (the
admin's only user, `SYSADMIN`) and API tokens. Prints the tokens as JSON."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import django

SYSADMIN = "sysadmin"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from tests import factories
    from tests.web import world

    with tempfile.TemporaryDirectory() as tmp:
        users = world.build(Path(tmp))
    factories.administrator(username=SYSADMIN, role="system", password=world.PASSWORD)
    tokens = {name: factories.token(user=users["city"], name=name) for name in ("city", "rate")}
    tokens["haidian"] = factories.token(user=users["haidian"], name="haidian")
    json.dump(tokens, sys.stdout)


if __name__ == "__main__":
    main()
