"""Django for a benchmark: settings, a migrated database (DATABASE_URL's, emptied, or SQLite in
the benchmark's own temporary folder) and, when asked, the cache table."""

from __future__ import annotations

import os


def setup(tmp: str, cache_table: bool = False) -> None:
    os.environ.setdefault("CAMPUSPLAN_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    if cache_table:
        call_command("createcachetable", verbosity=0)
