"""Every change written by the import path lands in the audit trail, with who and from where."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from campusplan.accounts import audit
from campusplan.accounts.models import AuditEntry
from campusplan.schools.models import School
from campusplan.usecases.facts import set_fact
from campusplan.usecases.imports import import_files
from tests.actors import operator
from tests.factories import audit_changes, audit_mark

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "small-primary.json"


def test_an_import_audits_every_change_and_a_reimport_none():
    with audit.acting(None, "cli"):
        report = import_files(actor=operator("tester"), paths=[EXAMPLE])
    assert report.ok and report.plan.changes
    changes = AuditEntry.objects.exclude(object_type="assessment_run")
    assert changes.count() == len(report.plan.changes)
    run = AuditEntry.objects.get(object_type="assessment_run")  # the import re-assessed
    assert run.object_key == str(report.run.pk) and run.source == "cli"
    entry = AuditEntry.objects.filter(field="fact.video_retention_days").get()
    assert (entry.before, entry.after, entry.source) == (None, 15, "cli")
    assert entry.school.code == "1101080101" and entry.district_code == "110108"
    with audit.acting(None, "cli"):
        again = import_files(actor=operator("tester"), paths=[EXAMPLE])
    assert not again.plan.changes and again.run is None
    assert changes.count() == len(report.plan.changes)


def test_a_single_fact_edit_is_audited_with_the_user():
    import_files(actor=operator("tester"), paths=[EXAMPLE])
    mark = audit_mark()
    user = get_user_model().objects.create_user("editor", password="x-Strong-pass-1")
    school = School.objects.get(code="1101080101")
    set_fact(actor=audit.actor_for(user, "web", "rid-7"), school=school,
             key="video_retention_days", value=30)
    (entry,) = audit_changes(after=mark).exclude(object_type="assessment_run")
    assert (entry.user, entry.source, entry.request_id) == (user, "web", "rid-7")
    assert (entry.field, entry.before, entry.after) == ("fact.video_retention_days", 15, 30)
