"""API tokens: create (the secret is returned once), list, revoke, authenticate.

A secret is `cp_` + 43 URL-safe characters (256 random bits). Only its SHA-256 hash is stored,
so a stolen database yields no usable token; looking a token up by the hash of what the client
sent needs no constant-time comparison (the hash is the index key). Creating and revoking a
token are recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from campusplan.accounts import audit
from campusplan.accounts.models import ApiToken

PREFIX = "cp_"
TOUCH_EVERY = timedelta(seconds=60)  # last_used_at is written at most once a minute


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class TokenLimit(Exception):
    """The user already holds CAMPUSPLAN_API_TOKENS_PER_USER active tokens."""

    def __init__(self, limit: int):
        self.limit = limit
        self.zh = f"每个账户最多 {limit} 个有效令牌：请先吊销不再使用的令牌"
        self.en = f"an account holds at most {limit} active tokens: revoke one you no longer use"
        super().__init__(self.en)

    def message(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


def active_limit() -> int:
    return settings.CAMPUSPLAN_API_TOKENS_PER_USER


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret (which is never stored). Refused
    (TokenLimit) past the per-user limit, counted under a lock on the user's row so parallel
    requests cannot pass it together."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    limit = active_limit()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= limit:
        raise TokenLimit(limit)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100] or "token",
                                    prefix=secret[:10], key_hash=hash_secret(secret))
    audit.record(object_type="api_token", object_key=str(token.pk), field="created",
                 after=token.name, note=f"{user.get_username()}: {token.prefix}…")
    return token, secret


def token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token (idempotent: revoking twice keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(object_type="api_token", object_key=str(token.pk), field="revoked",
                     before=token.name, note=f"{token.user.get_username()}: {token.prefix}…")
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is (with its user), or None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (ApiToken.objects.select_related("user", "user__profile")
             .filter(key_hash=hash_secret(secret), revoked_at__isnull=True,
                     user__is_active=True).first())
    if token is not None:
        _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    """last_used_at and the audit trail's `token_used`, at most once a minute per token: a
    write on every API call would serialize reads on SQLite (refused tokens are all recorded,
    as denied requests)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        audit.event("token_used", subject=str(token.pk), user=token.user,
                    note=f"{token.prefix}…")
