"""URL configuration: the web pages, Django's language switch and the admin."""

from django.contrib import admin
from django.urls import include, path

from campusplan.api.app import api

urlpatterns = [
    path("", include("campusplan.web.urls")),
    path("accounts/", include("campusplan.accounts.urls")),
    path("", include("campusplan.accounts.sso_urls")),  # /oidc/…, /cas/… when configured
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
