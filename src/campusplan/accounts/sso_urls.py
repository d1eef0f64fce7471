"""The SSO endpoints, by the URL names the libraries reverse (no namespace)."""

from django.urls import path

from campusplan.accounts import sso

urlpatterns = [
    path("oidc/authenticate/", sso.oidc_start, name="oidc_authentication_init"),
    path("oidc/callback/", sso.oidc_callback, name="oidc_authentication_callback"),
    path("cas/login/", sso.cas_login, name="cas_ng_login"),
    path("cas/logout/", sso.cas_logout, name="cas_ng_logout"),
]
