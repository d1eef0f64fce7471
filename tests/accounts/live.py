"""A real server for the concurrency tests: gunicorn (2 workers × 8 threads) over its own
database — a SQLite file, or a PostgreSQL database beside the test one when DATABASE_URL
names a server — migrated and given its users by the product's own code, then hit by real
HTTP clients from chosen loopback addresses (127.0.0.x), as a school NAT and an attacker
elsewhere would be.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
GUNICORN = Path(sys.executable).with_name("gunicorn")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from django.contrib.auth import get_user_model
from campusplan.accounts import audit, roles
from campusplan.accounts.models import Profile
users = get_user_model().objects
for name, password in %(users)r:
    u = users.create_user(name, password=password)
    if name.startswith("sys"):
        roles.grant(actor=audit.actor_for(None, "cli", name="installer"), user=u,
                    role="system")
    else:
        Profile.objects.create(user=u, level="city")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__(pool_maxsize=64)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class Stack:
    url: str
    database: str  # the server's DATABASE_URL

    def client(self, address: str = "127.0.0.1") -> requests.Session:
        session = requests.Session()
        session.mount("http://", _FromAddress(address))
        return session

    def login(self, session: requests.Session, username: str, password: str,
              path: str = "/accounts/login/") -> requests.Response:
        """GET the form (CSRF cookie and token), POST it; no redirect followed."""
        page = session.get(self.url + path, timeout=60)
        token = TOKEN.search(page.text).group(1)
        return session.post(self.url + path, timeout=120, allow_redirects=False, data={
            "csrfmiddlewaretoken": token, "username": username, "password": password,
            "next": "/admin/" if path.startswith("/admin/") else ""})

    def events(self, kind: str) -> dict[str, int]:
        """Security events of one kind by outcome, read from the server's database."""
        sql = ("SELECT outcome, COUNT(*) FROM accounts_auditentry "
               "WHERE object_type = 'security' AND field = %s GROUP BY outcome")
        return dict(_query(self.database, sql, (kind,)))


def _query(database: str, sql: str, params: tuple) -> list[tuple]:
    config = dj_database_url.parse(database)
    if config["ENGINE"].endswith("sqlite3"):
        with sqlite3.connect(config["NAME"]) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    with psycopg.connect(_conninfo(config, config["NAME"])) as db:
        return db.execute(sql, params).fetchall()


def _conninfo(config: dict, name: str) -> str:
    parts = {"host": config.get("HOST") or "127.0.0.1", "port": config.get("PORT") or 5432,
             "user": config.get("USER") or "postgres", "dbname": name}
    if config.get("PASSWORD"):
        parts["password"] = config["PASSWORD"]
    return " ".join(f"{k}={v}" for k, v in parts.items())


def _database(tmp: Path) -> tuple[str, Callable[[], None]]:
    """The server's own database URL and how to drop it."""
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith("postgres"):
        return f"sqlite:///{tmp / 'live.sqlite3'}", lambda: None
    config = dj_database_url.parse(given)
    name = f"{config['NAME']}_live"
    admin = _conninfo(config, "postgres")

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    url = given.rsplit("/", 1)[0] + f"/{name}"
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start(tmp: Path, users: list[tuple[str, str]], extra_env: dict | None = None):
    """Migrate a database, create `users` (name, password; `sys…` names are 系统管理员, the
    others city accounts), start gunicorn over it; returns (Stack, stop)."""
    database, drop = _database(tmp)
    env = {**os.environ, "PYTHONPATH": str(SRC), "DATABASE_URL": database,
           "CAMPUSPLAN_VAR_DIR": str(tmp / "var"), "DJANGO_SETTINGS_MODULE": "campusplan.settings",
           **(extra_env or {})}
    subprocess.run([sys.executable, "-c", SETUP % {"users": users}], env=env, check=True,
                   cwd=tmp, timeout=300)
    port = _free_port()
    log = (tmp / "server.log").open("w")  # closed by stop()
    server = subprocess.Popen(
        [str(GUNICORN), "campusplan.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--threads", "8", "--timeout", "120", "--log-level", "warning"],
        env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(url + "/accounts/login/", timeout=30).status_code == 200:
                break
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    else:  # pragma: no cover - the server did not come up
        server.terminate()
        raise RuntimeError((tmp / "server.log").read_text())

    def stop() -> None:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        drop()

    return Stack(url, database), stop
