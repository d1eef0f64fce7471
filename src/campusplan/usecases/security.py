"""The security use cases every door calls: verify and archive the audit trail, grant and
revoke the 三员 roles. Each is itself a security event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model

from campusplan.accounts import archive, audit, chain, roles
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Outcome


def audit_verify(*, actor: Actor, path: Path | None = None) -> chain.Verdict:
    """Verify the whole chain in the database, or an archive file."""
    verdict = archive.verify_file(path) if path else chain.verify()
    with audit.acting_as(actor):
        audit.event("audit_verified", Outcome.OK if verdict.ok else Outcome.FAILED,
                    subject=path.name if path else "database",
                    note=f"{verdict.rows} rows, {verdict.seals} seals, "
                         f"{len(verdict.problems)} problems")
    return verdict


def audit_archive(*, actor: Actor, before: dt.date, path: Path) -> archive.Archived:
    with audit.acting_as(actor):
        try:
            done = archive.archive(before=before, path=path)
        except archive.ArchiveRefused as exc:
            audit.event("audit_archived", Outcome.FAILED, subject=str(path)[:200], note=exc.en)
            raise
        audit.event("audit_archived", Outcome.OK, subject=str(path)[:200],
                    note=f"before {before}: {done.rows} rows, sha256 {done.sha256}")
    return done


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def role_grant(*, actor: Actor, username: str, role: str):
    user = _user(username)
    if user is None:
        raise LookupError(username)
    return roles.grant(actor=actor, user=user, role=role)


def role_revoke(*, actor: Actor, username: str) -> None:
    user = _user(username)
    if user is None:
        raise LookupError(username)
    roles.revoke(actor=actor, user=user)
