"""WSGI entry point: `gunicorn campusplan.wsgi` or any WSGI server. A worker warms up when it
loads the application (campusplan/web/warm.py), before it accepts a connection."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")

application = get_wsgi_application()

from campusplan.web.warm import warm  # noqa: E402 — needs the settings and apps loaded above

warm()
