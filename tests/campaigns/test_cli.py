"""`campusplan campaign …` as the operator: the cycle, refusals exit 2 with the reason, the
audit trail names --user."""

import datetime as dt

import pytest
from typer.testing import CliRunner

from campusplan.accounts.models import AuditEntry
from campusplan.campaigns.models import Campaign, Submission
from campusplan.cli import app
from tests.campaigns.conftest import TODAY
from tests.web.world import HAIDIAN, A, B

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_the_cycle_from_the_command_line(world):
    deadline = (TODAY + dt.timedelta(days=3)).isoformat()
    opened = runner.invoke(app, ["campaign", "open", "--year", "2026", "--as-of",
                                 TODAY.isoformat(), "--deadline", deadline, "--district",
                                 HAIDIAN, "--user", "wang"])
    assert opened.exit_code == 0, opened.output
    pk = Campaign.objects.get().pk
    assert runner.invoke(app, ["campaign", "submit", str(pk), A, B]).exit_code == 0
    refused = runner.invoke(app, ["campaign", "return", str(pk), A, "--lang", "en"])
    assert refused.exit_code == 2 and "needs a reason" in refused.output
    back = runner.invoke(app, ["campaign", "return", str(pk), A, "--reason", "带宽有误",
                               "--user", "wang"])
    assert back.exit_code == 0 and f"{A} → returned" in back.output
    assert AuditEntry.objects.filter(object_type="campaign_submission", actor="wang",
                                     note="带宽有误").count() == 1
    early = runner.invoke(app, ["campaign", "confirm", str(pk), HAIDIAN])
    assert early.exit_code == 2 and "未通过区级审核" in early.output
    assert runner.invoke(app, ["campaign", "submit", str(pk), A]).exit_code == 0
    assert runner.invoke(app, ["campaign", "approve", str(pk), A, B]).exit_code == 0
    status = runner.invoke(app, ["campaign", "status", str(pk)])
    assert status.exit_code == 0 and "approved" in status.output
    confirmed = runner.invoke(app, ["campaign", "confirm", str(pk), HAIDIAN])
    assert confirmed.exit_code == 0 and "2026学年 正式评估" in confirmed.output
    assert set(Submission.objects.values_list("state", flat=True)) == {"confirmed"}
    listed = runner.invoke(app, ["campaign", "list"])
    assert "100.0%" in listed.output
    assert runner.invoke(app, ["campaign", "diff", str(pk), str(pk)]).exit_code == 0
    assert runner.invoke(app, ["campaign", "submit", "999", A]).exit_code == 2
