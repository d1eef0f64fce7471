"""The production stack as an operator runs it: `campusplan serve` (migrate, collectstatic,
gunicorn with 2 workers × 4 threads, static files by whitenoise, DEBUG off) in a subprocess on a
free port, over its own database — a SQLite file, or a fresh PostgreSQL database beside the test
run's when DATABASE_URL names one — filled by seed.py through the use cases."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RATE_LIMIT = 100  # per day for the stack's tokens: one window for the whole module


@dataclass
class Stack:
    url: str
    tokens: dict[str, str]
    env: dict[str, str]
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres(url: str):
    """A fresh database named after the test run's, and a function that drops it."""
    import psycopg

    base, _, name = url.rpartition("/")
    stack_name = f"{name.split('?')[0]}_stack"
    admin = f"{base}/postgres"

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{stack_name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{stack_name}"')
    return f"{base}/{stack_name}", lambda: run(f'DROP DATABASE IF EXISTS "{stack_name}" WITH (FORCE)')


def stack_env(tmp: Path) -> tuple[dict[str, str], callable]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMPUSPLAN_", "DJANGO_"))}
    env |= {"CAMPUSPLAN_DEBUG": "0", "CAMPUSPLAN_SECRET_KEY": secrets.token_urlsafe(40),
            "CAMPUSPLAN_HTTPS": "0", "CAMPUSPLAN_VAR_DIR": str(tmp / "var"),
            "CAMPUSPLAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CAMPUSPLAN_API_RATE": f"{RATE_LIMIT}/day",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    drop = lambda: None  # noqa: E731
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"], drop = _postgres(url)
    else:
        env.pop("DATABASE_URL", None)  # the SQLite file under CAMPUSPLAN_VAR_DIR
    return env, drop


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the stack exited: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the stack did not become healthy: {log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stack")
    env, drop = stack_env(tmp)
    seeded = subprocess.run([sys.executable, "-m", "tests.production.seed"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    tokens = json.loads(seeded.stdout.strip().splitlines()[-1])
    port, log = free_port(), tmp / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "campusplan.cli", "serve", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4"], cwd=tmp, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_healthy(url, proc, log)
        yield Stack(url, tokens, env, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        drop()
