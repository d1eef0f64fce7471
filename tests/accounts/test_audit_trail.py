"""Every change written by the import path lands in the audit trail, with who and from where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from campusplan.accounts import audit
from campusplan.accounts.models import AuditEntry
from campusplan.accounts.versions import FIRST_VALUES
from campusplan.schools.models import FactValue, School
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
    schools = {c.school: School.objects.get(code=c.school) for c in report.plan.changes}
    firsts = [c for c in report.plan.changes if audit.first_time(c, schools)]
    assert firsts  # the file fills facts and rooms for the first time
    # every other change a row; a school's first-time values one row, pointing at the source
    assert changes.count() == len(report.plan.changes) - len(firsts) + 1
    first = changes.get(field=FIRST_VALUES)
    assert first.after == {"values": len(firsts)} and first.before is None
    value = FactValue.objects.get(school=first.school, key="video_retention_days")
    assert first.import_source == value.source and value.source.file_name == EXAMPLE.name
    assert not changes.filter(field="fact.video_retention_days").exists()
    run = AuditEntry.objects.get(object_type="assessment_run")  # the import re-assessed
    assert run.object_key == str(report.run.pk) and run.source == "cli"
    assert first.school.code == "1101080101" and first.district_code == "110108"
    assert first.source == "cli"
    with audit.acting(None, "cli"):
        again = import_files(actor=operator("tester"), paths=[EXAMPLE])
    assert not again.plan.changes and again.run is None
    assert changes.count() == len(report.plan.changes) - len(firsts) + 1


def test_a_changed_value_keeps_its_before_and_after_row(tmp_path):
    with audit.acting(None, "cli"):
        import_files(actor=operator("tester"), paths=[EXAMPLE])
    doc = json.loads(EXAMPLE.read_text())
    school = doc["schools"][0] if "schools" in doc else doc
    school["facts"]["video_retention_days"] = 40
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False))
    mark = audit_mark()
    with audit.acting(None, "cli"):
        import_files(actor=operator("tester"), paths=[changed])
    (entry,) = audit_changes(after=mark).exclude(object_type="assessment_run")
    assert (entry.field, entry.before, entry.after) == ("fact.video_retention_days", 15, 40)
    assert entry.import_source.file_name == "changed.json"


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
