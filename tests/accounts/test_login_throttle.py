"""The login throttle under real concurrency, on a real server (tests/accounts/live.py):
40 parallel wrong passwords check exactly LOGIN_MAX_FAILURES of them, the admin's login form
is throttled the same way, and the real user is not locked out — neither from another address
nor, through the device cookie of an earlier login, from behind the attacker's own address."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from tests.accounts import live

PASSWORD = "Right-horse-battery-9"
USERS = [("victim", PASSWORD), ("nat-user", PASSWORD), ("sysop", PASSWORD)]
LIMIT = settings.LOGIN_MAX_FAILURES
PARALLEL = 40


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    server, stop = live.start(tmp_path_factory.mktemp("live"), USERS)
    yield server
    stop()


def _flood(stack, username: str, path: str = "/accounts/login/",
           address: str = "127.0.0.1") -> list[int]:
    """PARALLEL wrong passwords at once, each from its own client on `address`."""
    clients = [stack.client(address) for _ in range(PARALLEL)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = pool.map(lambda c: stack.login(c, username, "Wrong-password-1", path).status_code,
                           clients)
    return sorted(answers)


def test_forty_parallel_wrong_logins_check_exactly_the_limit(stack):
    statuses = _flood(stack, "victim")
    assert statuses.count(429) == PARALLEL - LIMIT  # refused without checking the password
    assert statuses.count(200) == LIMIT  # checked: the form again, with its error
    assert stack.events("login") == {"failed": LIMIT}
    assert stack.events("login_refused") == {"denied": PARALLEL - LIMIT}
    assert stack.events("lockout") == {"denied": 1}
    # the pair is locked even for the right password: an attacker's good guess gains nothing
    assert stack.login(stack.client(), "victim", PASSWORD).status_code == 429


def test_the_real_user_signs_in_from_another_address(stack):
    """After the flood above (127.0.0.1), the account still opens from 127.0.0.2."""
    answer = stack.login(stack.client("127.0.0.2"), "victim", PASSWORD)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert stack.events("login")["ok"] == 1


def test_a_known_browser_is_not_locked_out_by_its_own_nat(stack):
    """The real user signed in before from the school's address; someone at that address
    fails 40 times; the user's browser (its device cookie) still signs in there."""
    browser = stack.client("127.0.0.3")
    assert stack.login(browser, "nat-user", PASSWORD).status_code == 302
    assert browser.cookies.get("campusplan_device")
    browser.post(stack.url + "/accounts/logout/", headers={
        "X-CSRFToken": browser.cookies["csrftoken"]}, allow_redirects=False)
    statuses = _flood(stack, "nat-user", address="127.0.0.3")
    assert statuses.count(200) == LIMIT
    stranger = stack.client("127.0.0.3")
    assert stack.login(stranger, "nat-user", PASSWORD).status_code == 429
    answer = stack.login(browser, "nat-user", PASSWORD)
    assert answer.status_code == 302


def test_the_admin_login_is_throttled_too(stack):
    statuses = _flood(stack, "sysop", path="/admin/login/", address="127.0.0.4")
    checked = [s for s in statuses if s != 302]
    assert len(checked) == PARALLEL  # none of the wrong passwords got in
    before = stack.events("login_refused")["denied"]
    assert before >= PARALLEL - LIMIT
    failed = stack.events("login")["failed"]
    assert failed == 2 * LIMIT + LIMIT  # victim's, nat-user's, and now sysop's five
    answer = stack.login(stack.client("127.0.0.4"), "sysop", PASSWORD, "/admin/login/")
    assert answer.status_code != 302  # locked for that address, even the right password
    answer = stack.login(stack.client("127.0.0.5"), "sysop", PASSWORD, "/admin/login/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/"
