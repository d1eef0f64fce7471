"""WSGI entry point: `gunicorn campusplan.wsgi` or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")

application = get_wsgi_application()
