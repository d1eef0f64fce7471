"""URL configuration: the web pages, Django's language switch, the admin, the API and the
health check. Errors render the templates 400/403/404/500.html (Django's default handlers)."""

from django.contrib import admin
from django.urls import include, path

from campusplan.api.app import api
from campusplan.web.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("campusplan.web.urls")),
    path("accounts/", include("campusplan.accounts.urls")),
    path("", include("campusplan.accounts.sso_urls")),  # /oidc/…, /cas/… when configured
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
