"""Every `CAMPUSPLAN_*` setting the code reads is declared in the table at the top of
settings.py (and so in docs/deployment.md), and DEBUG off without a secret key, or a run batch
too large to read, is refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from campusplan import settings as product_settings

SRC = Path(product_settings.__file__).parent
NAME = re.compile(r"\bCAMPUSPLAN_[A-Z_]+[A-Z]\b")


def test_every_setting_read_is_in_the_table():
    read = set()
    for path in SRC.rglob("*.py"):
        read |= set(NAME.findall(path.read_text(encoding="utf-8")))
    table = set(NAME.findall(product_settings.__doc__))
    assert read and read <= table, sorted(read - table)
    documented = set(NAME.findall((SRC.parents[1] / "docs" / "deployment.md").read_text()))
    assert table <= documented, sorted(table - documented)


def test_debug_off_needs_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSPLAN_")}
    env |= {"CAMPUSPLAN_DEBUG": "0", "PYTHONPATH": str(SRC.parent)}
    done = subprocess.run([sys.executable, "-c", "import campusplan.settings"], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "CAMPUSPLAN_SECRET_KEY" in done.stderr
    env["CAMPUSPLAN_SECRET_KEY"] = "k" * 50
    done = subprocess.run([sys.executable, "-c", "import campusplan.settings as s; "
                           "print(s.DEBUG, s.TIME_ZONE, s.SESSION_COOKIE_SECURE)"], env=env,
                          capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["False", "Asia/Shanghai", "True"], done.stderr


def test_a_run_batch_larger_than_one_text_can_hold_is_refused():
    """A batch's fact values are read as one PostgreSQL text (schools/bulk.py `_csv_text`),
    whose largest is 1 GB: a batch over 50,000 schools is refused at start, not mid-run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSPLAN_")}
    env |= {"CAMPUSPLAN_DEBUG": "1", "PYTHONPATH": str(SRC.parent)}
    read = "import campusplan.settings as s; print(s.CAMPUSPLAN_RUN_BATCH)"
    for batch, ok in (("50000", True), ("50001", False)):
        done = subprocess.run([sys.executable, "-c", read], env=env | {
            "CAMPUSPLAN_RUN_BATCH": batch}, capture_output=True, text=True, check=False)
        assert (done.returncode == 0) == ok, done.stderr
        assert done.stdout.strip() == batch if ok else "at most 50000" in done.stderr


def test_loading_the_application_warms_the_process():
    """A worker that loads campusplan.wsgi has imported the URLconf (every view, the API's
    schemas), the catalog and the main templates before its first request — and touched no
    database (it may start before the database answers: here the database does not exist)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSPLAN_")}
    env |= {"CAMPUSPLAN_DEBUG": "0", "CAMPUSPLAN_SECRET_KEY": "k" * 50,
            "PYTHONPATH": str(SRC.parent),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    probe = ("import sys, campusplan.wsgi; "
             "from django.template import engines; "
             "from campusplan.engine.document import _MODELS; "
             "from campusplan.exchange.inventory import _KEPT; "
             "loader = engines['django'].engine.template_loaders[0]; "
             "print('campusplan.api.app' in sys.modules, 'campusplan.web.views_school' in "
             "sys.modules, bool(_MODELS) and bool(_KEPT), "
             "'web/dashboards/city.html' in loader.get_template_cache)")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, check=False)
    assert done.stdout.split() == ["True", "True", "True", "True"], done.stderr
