"""Single sign-on with the district's or city's identity platform: OpenID Connect
(mozilla-django-oidc) and CAS (django-cas-ng), each on when configured (settings.py's table).

The identity decides the role and scope at every sign-in: the claim (OIDC) or attribute (CAS)
named by CAMPUSPLAN_SSO_ROLE_CLAIM is city, district, school or auditor (a read-only district
user), with the district and school codes in CAMPUSPLAN_SSO_DISTRICT_CLAIM /
CAMPUSPLAN_SSO_SCHOOL_CLAIM; the codes must name stored districts and schools and agree. An
identity without a valid role and scope is refused (a failed login in the audit trail). SSO
accounts are named `oidc-<sub>` / `cas-<user>`, so an identity never takes over a local account,
and the 三员 roles are never granted through SSO. Local accounts stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django_cas_ng import backends as cas_backends
from django_cas_ng import views as cas_views
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import views as oidc_views

from campusplan.accounts import audit
from campusplan.accounts.choices import Level, Outcome
from campusplan.accounts.models import AdminGrant, Profile
from campusplan.schools.models import District, School

ROLES = {"city": (Level.CITY, False), "district": (Level.DISTRICT, False),
         "school": (Level.SCHOOL, False), "auditor": (Level.DISTRICT, True)}


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", ""))


def cas_enabled() -> bool:
    return bool(getattr(settings, "CAS_SERVER_URL", ""))


@dataclass(frozen=True)
class Identity:
    level: str
    read_only: bool
    district: District | None
    school: School | None


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name)
    if isinstance(value, list | tuple):  # CAS attributes may repeat
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def identity_of(claims: dict) -> Identity | None:
    """The role and scope the identity's claims give, or None (refused)."""
    role = _claim(claims, settings.CAMPUSPLAN_SSO_ROLE_CLAIM)
    if role not in ROLES:
        return None
    level, read_only = ROLES[role]
    district_code = _claim(claims, settings.CAMPUSPLAN_SSO_DISTRICT_CLAIM)
    school_code = _claim(claims, settings.CAMPUSPLAN_SSO_SCHOOL_CLAIM)
    if level == Level.CITY:
        return Identity(level, read_only, None, None)
    if level == Level.DISTRICT:
        district = District.objects.filter(code=district_code).first()
        return Identity(level, read_only, district, None) if district else None
    school = School.objects.select_related("district").filter(code=school_code).first()
    if school is None or (district_code and school.district.code != district_code):
        return None
    return Identity(level, read_only, None, school)


def apply_identity(user, claims: dict, via: str) -> bool:
    """Give `user` the role and scope of the claims (False and nothing changed: refused)."""
    found = identity_of(claims)
    if found is None or AdminGrant.objects.filter(user=user).exists():
        audit.event("sso_refused", Outcome.DENIED, subject=user.get_username(), user=user,
                    note=f"{via}: no valid role and scope in the identity")
        return False
    with transaction.atomic():
        Profile.objects.update_or_create(user=user, defaults={
            "level": found.level, "read_only": found.read_only, "district": found.district,
            "school": found.school})
    return True


def _sso_user(username: str):
    user, created = get_user_model().objects.get_or_create(username=username[:150])
    if created:
        user.set_unusable_password()  # signs in through the identity platform only
        user.save(update_fields=["password"])
    return user


class OIDCBackend(oidc_auth.OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend; the claims decide the account's role and scope."""

    def _name(self, claims) -> str:
        return f"oidc-{claims.get('sub', '')}"

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(username=self._name(claims)[:150]) \
            if claims.get("sub") else get_user_model().objects.none()

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and identity_of(claims) is not None

    def create_user(self, claims):
        user = _sso_user(self._name(claims))
        return user if apply_identity(user, claims, "oidc") else None

    def update_user(self, user, claims):
        return user if apply_identity(user, claims, "oidc") else None


class CASBackend(cas_backends.CASBackend):
    """django-cas-ng's backend; the CAS attributes decide the account's role and scope."""

    def clean_username(self, username: str) -> str:
        return f"cas-{username}"[:150]

    def authenticate(self, request, ticket, service):
        user = super().authenticate(request, ticket, service)
        if user is None:
            return None
        attributes = request.session.get("attributes") or {} if request is not None else {}
        return user if apply_identity(user, dict(attributes), "cas") else None

    def configure_user(self, user):
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user


def _when(enabled, view):
    """A view of the SSO libraries, 404 while its protocol is not configured."""

    def guarded(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


oidc_start = _when(oidc_enabled, oidc_views.OIDCAuthenticationRequestView.as_view())
oidc_callback = _when(oidc_enabled, oidc_views.OIDCAuthenticationCallbackView.as_view())
cas_login = _when(cas_enabled, cas_views.LoginView.as_view())
cas_logout = _when(cas_enabled, cas_views.LogoutView.as_view())
