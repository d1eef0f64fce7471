"""The REST API (django-ninja) under /api/v1/: one NinjaAPI, a Router per area (app.py)."""
