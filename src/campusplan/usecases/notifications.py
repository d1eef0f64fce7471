"""Notifications — `notify(...)`, the one call for every event worth telling someone (campaign
opened, deadline in N days, returned, approved; account created, password reset, import
finished). In the app: the bell in the header (unread count) and /notifications/. By e-mail
through Django's e-mail backend when one is configured (settings.CAMPUSPLAN_EMAIL) and the user
has an address.

    notify(actor=actor, kind="returned", schools=[school], params={"campaign": "2026学年",
           "reason": "…"}, url="/schools/1101080101/")

Recipients: `users`, or every active account of `schools` (their school accounts), or of
`districts` (their district accounts); an unknown kind is refused (ValueError) so a typo does
not send a blank message. Returns the notifications written.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from campusplan.accounts import notices
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.accounts.models import Notification
from campusplan.schools.models import District, School


def recipients(*, users: Iterable = (), schools: Iterable[School] = (),
               districts: Iterable[District] = ()) -> list:
    """The active accounts to tell: the users given, a school's accounts, a district's."""
    ids = [u.pk for u in users]
    schools, districts = [s.pk for s in schools], [d.pk for d in districts]
    q = Q(pk__in=ids) | Q(profile__level=Level.SCHOOL, profile__school_id__in=schools) \
        | Q(profile__level=Level.DISTRICT, profile__district_id__in=districts)
    return list(get_user_model().objects.filter(q, is_active=True).distinct().order_by("pk"))


def notify(*, actor: Actor, kind: str, users: Iterable = (), schools: Iterable[School] = (),
           districts: Iterable[District] = (), params: dict | None = None,
           url: str = "") -> list[Notification]:
    if kind not in notices.KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    params = {k: v if isinstance(v, int | float | bool) else str(v)
              for k, v in (params or {}).items()}
    people = recipients(users=users, schools=schools, districts=districts)
    rows = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, params=params, url=url[:300]) for u in people])
    if settings.CAMPUSPLAN_EMAIL:
        mailed = [n for n in rows if n.user.email]
        transaction.on_commit(lambda: _mail(mailed))
    return rows


def _mail(rows: list[Notification]) -> None:
    """Mailed after the write commits, in the site's language; a failed mail leaves
    emailed_at empty (the note stays in the app)."""
    with translation.override(settings.LANGUAGE_CODE):
        for n in rows:
            body = notices.text(n.kind, n.params)
            try:
                send_mail(body[:60], body + (f"\n\n{n.url}" if n.url else ""),
                          None, [n.user.email])
            except OSError:
                continue
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when ids is None)."""
    qs = Notification.objects.filter(user=actor.user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
