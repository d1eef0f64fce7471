"""The audit trail is append-only and tamper-evident: `campusplan audit verify` recomputes the
hash chain and names the row that was edited, inserted or deleted behind the ORM's back; the
archive step moves only rows past the retention period into a file that verifies; the demo's
reset keeps the trail."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone
from typer.testing import CliRunner

from campusplan.accounts import audit, chain
from campusplan.accounts.models import AuditEntry, AuditSeal
from campusplan.cli import app
from campusplan.usecases.imports import import_files
from tests.actors import operator
from tests.factories import EXAMPLES, audit_events

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def trail(django_capture_on_commit_callbacks):
    """An import (a batch of change rows and a run) and a few security events, sealed."""
    with django_capture_on_commit_callbacks(execute=True):
        result = import_files(actor=operator("tester"), paths=[EXAMPLES / "small-primary.json"])
        assert result.ok
        with audit.acting_as(audit.actor_for(None, "web", "rid-1", address="10.1.2.3")):
            for kind in ("login", "logout"):
                audit.event(kind, subject="someone", name="someone")
    return AuditEntry.objects.count()


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify(*args: str):
    return runner.invoke(app, ["audit", "verify", "--lang", "en", *args])


def test_an_intact_trail_verifies(trail):
    verdict = chain.verify()
    assert verdict.ok, verdict.problems
    assert verdict.rows == trail and verdict.seals == AuditSeal.objects.count() >= 4
    result = _verify()
    assert result.exit_code == 0, result.output
    assert f"{trail} rows" in result.output and "verified" in result.output


def test_an_edited_row_is_found_and_named(trail):
    row = AuditEntry.objects.filter(field="first_values").get()  # the import's first values
    _sql("UPDATE accounts_auditentry SET after = %s WHERE id = %s", json.dumps(365), row.pk)
    verdict = chain.verify()
    assert not verdict.ok
    assert any(f"audit row #{row.pk} " in p for p in verdict.problems)
    result = _verify()
    assert result.exit_code == 1 and f"#{row.pk}" in result.output


@pytest.mark.parametrize("column", ["actor", "address", "outcome", "at"])
def test_who_where_when_and_outcome_are_covered(trail, column):
    row = AuditEntry.objects.filter(field="login").get()
    value = timezone.now() - dt.timedelta(days=1) if column == "at" else "x"
    _sql(f"UPDATE accounts_auditentry SET {column} = %s WHERE id = %s", value, row.pk)
    assert any(f"#{row.pk} " in p for p in chain.verify().problems)


def test_a_deleted_row_and_a_forged_row_are_found(trail):
    victim = AuditEntry.objects.filter(field="logout").get()
    _sql("DELETE FROM accounts_auditentry WHERE id = %s", victim.pk)
    problems = chain.verify().problems
    assert any(f"batch {victim.batch}" in p and "0 of 1 rows" in p for p in problems)
    old = timezone.now() - dt.timedelta(hours=1)
    forged = AuditEntry(at=old, actor="ghost", source="web", object_type="security",
                        object_key="ghost", field="login", outcome="ok", batch="f" * 32)
    forged.digest = chain.row_digest(forged.batch, chain.entry_values(forged))
    forged.save(force_insert=True)  # a well-formed row, but no seal vouches for it
    assert any("rows without a seal" in p for p in chain.verify().problems)


def test_the_orm_refuses_to_change_or_delete_the_trail(trail):
    row = AuditEntry.objects.first()
    with pytest.raises(TypeError, match="append-only"):
        row.save()
    with pytest.raises(TypeError, match="append-only"):
        row.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=row.pk).update(note="x")


def test_a_broken_seal_is_found(trail):
    seal = AuditSeal.objects.order_by("id")[1]
    _sql("UPDATE accounts_auditseal SET count = count + 1 WHERE id = %s", seal.pk)
    problems = chain.verify().problems
    assert any(f"seal #{seal.pk}" in p for p in problems)


# --- archive and retention --------------------------------------------------------------------


@pytest.fixture
def aged(monkeypatch, django_capture_on_commit_callbacks):
    """Three events written 200 days ago, then two today."""
    real = timezone.now
    with django_capture_on_commit_callbacks(execute=True):
        monkeypatch.setattr(timezone, "now", lambda: real() - dt.timedelta(days=200))
        for i in range(3):
            audit.event("login", subject=f"old-{i}", name=f"old-{i}")
        monkeypatch.setattr(timezone, "now", real)
        for i in range(2):
            audit.event("login", subject=f"new-{i}", name=f"new-{i}")


def test_archive_moves_only_rows_past_retention_into_a_verified_file(aged, tmp_path,
                                                                     django_capture_on_commit_callbacks):
    before = (timezone.localdate() - dt.timedelta(days=180)).isoformat()
    target = tmp_path / "audit-old.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        result = runner.invoke(app, ["audit", "archive", "--before", before, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert sorted(audit_events(kind="login").values_list("object_key", flat=True)) == [
        "new-0", "new-1"]
    lines = target.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"].startswith("campusplan-audit-archive")
    assert {json.loads(line)["row"]["object_key"] for line in lines if '"row"' in line} == {
        "old-0", "old-1", "old-2"}
    assert _verify().exit_code == 0  # the chain in the database still verifies, seals kept
    assert _verify("--archive", str(target)).exit_code == 0
    assert audit_events(kind="audit_archived").get().outcome == "ok"
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text(target.read_text(encoding="utf-8").replace("old-1", "old-9"),
                        encoding="utf-8")
    assert _verify("--archive", str(tampered)).exit_code == 1


@pytest.mark.parametrize("days", [0, 179])
def test_archive_refuses_rows_younger_than_retention(aged, tmp_path, days):
    before = (timezone.localdate() - dt.timedelta(days=days)).isoformat()
    result = runner.invoke(app, ["audit", "archive", "--before", before, "-o",
                                 str(tmp_path / "x.jsonl"), "--lang", "en"])
    assert result.exit_code == 2 and "180 days" in result.output
    assert not (tmp_path / "x.jsonl").exists()
    assert audit_events(kind="login").count() == 5


def test_the_demo_reset_keeps_the_audit_trail(trail, django_capture_on_commit_callbacks):
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        result = runner.invoke(app, ["demo", "--reset", "--schools", "2"])
    assert result.exit_code == 0, result.output
    assert before <= set(AuditEntry.objects.values_list("pk", flat=True))
    assert chain.verify().ok


def test_rows_written_before_the_chain_are_its_first_batch(django_capture_on_commit_callbacks):
    """The migration's step: legacy rows (no batch) chained in id order, sealed."""
    AuditEntry(at=timezone.now() - dt.timedelta(days=3), actor="legacy", source="cli",
               object_type="school", object_key="1", field="name").save(force_insert=True)
    assert not chain.verify().ok  # a row without a seal
    chain.seal_legacy()
    assert chain.verify().ok

