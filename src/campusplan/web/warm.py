"""What the first request of a server process would otherwise pay, paid when the process starts.

The URLconf is imported on the first request: every view module and the API, whose ≈ 570
django-ninja schemas are built then (≈ 1.1 s of a first city page of ≈ 1.5 s here, measured in
docs/scale.md). The catalog, the typed documents' models, the device-kind mapping and the main
templates are made on first use too. `campusplan.wsgi` calls `warm()` when a worker loads the
application, before it accepts a connection, so the first user waits for nothing of this. No
database access: a worker may start before the database answers.
"""

from __future__ import annotations

from django.template.loader import get_template
from django.urls import get_resolver

from campusplan.engine.document import models_for
from campusplan.exchange.inventory import load_kinds
from campusplan.web.http import catalog

# the pages people open first, with what they include
TEMPLATES = ("web/dashboards/city.html", "web/dashboards/district.html",
             "web/school/page.html", "web/lists/page.html")


def warm() -> None:
    get_resolver().url_patterns  # noqa: B018 — the property imports the URLconf
    cat = catalog()
    models_for(cat)
    load_kinds(cat)
    for name in TEMPLATES:
        get_template(name)
