"""The product's URLs plus views that fail the ways a request can fail past validation, for
tests/production/test_error_pages.py."""

from django.db import DataError, OperationalError
from django.urls import path

from campusplan.urls import urlpatterns as product


def boom(request):
    raise RuntimeError("secret internals")


def locked(request):
    raise OperationalError("database is locked")


def too_long(request):
    raise DataError("value too long for type character varying(200)")


urlpatterns = [path("boom/", boom), path("locked/", locked), path("too-long/", too_long),
               *product]
