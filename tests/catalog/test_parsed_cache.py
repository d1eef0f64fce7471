"""The parsed-YAML cache (catalog/loader.py `_parsed`): a second read of a file comes from the
JSON cache, keyed on the file's content; a broken cache entry is rebuilt; data JSON cannot hold
as it is (dates, integer keys) is parsed every time instead of cached wrong."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import yaml

from campusplan.catalog import loader


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "campusplan"


def parses(monkeypatch) -> list:
    calls = []
    real = yaml.load
    monkeypatch.setattr(yaml, "load", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_a_second_read_comes_from_the_cache_and_an_edit_is_seen(tmp_path, cache_home,
                                                                 monkeypatch):
    calls = parses(monkeypatch)
    path = tmp_path / "a.yaml"
    path.write_text("key: 值\nitems: [1, 2.5, null]\n", encoding="utf-8")
    assert loader.read_yaml(path) == {"key": "值", "items": [1, 2.5, None]}
    assert loader.read_yaml(path) == {"key": "值", "items": [1, 2.5, None]}
    assert len(calls) == 1 and len(list(cache_home.glob("yaml-*.json"))) == 1
    path.write_text("key: 新\n", encoding="utf-8")
    assert loader.read_yaml(path) == {"key": "新"} and len(calls) == 2


def test_a_broken_cache_entry_is_parsed_again(tmp_path, cache_home, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    loader.read_yaml(path)
    (entry,) = cache_home.glob("yaml-*.json")
    entry.write_text("{not json", encoding="utf-8")
    calls = parses(monkeypatch)
    assert loader.read_yaml(path) == {"a": 1} and len(calls) == 1


@pytest.mark.parametrize(("text", "expected"), [("since: 2026-12-02\n", {"since": dt.date(2026, 12, 2)}),
                                                ("211: 小学\n", {211: "小学"})])
def test_what_json_would_change_is_not_cached(tmp_path, cache_home, monkeypatch, text,
                                              expected):
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    calls = parses(monkeypatch)
    assert loader.read_yaml(path) == expected
    assert loader.read_yaml(path) == expected and len(calls) == 2
    assert not list(cache_home.glob("yaml-*.json"))


def test_one_school_from_the_cli_reads_every_yaml_from_the_cache_once_filled(cache_home):
    from tests import factories

    school = factories.example_files()[0]
    probe = ("import runpy, sys\nsys.argv = ['campusplan', 'assess', sys.argv[1]]\n"
             "try:\n    runpy.run_module('campusplan', run_name='__main__')\n"
             "except SystemExit:\n    pass\n")

    def once():
        return subprocess.run([sys.executable, "-c", probe, str(school)], capture_output=True,
                              text=True, check=True, timeout=120)

    first = once()
    filled = {p.name: p.stat().st_mtime_ns for p in cache_home.rglob("yaml-*.json")}
    assert len(filled) >= 2  # the catalog, the fact dictionary, the codes …
    second = once()
    # the second run parsed nothing: no cache file was written again
    assert {p.name: p.stat().st_mtime_ns for p in cache_home.rglob("yaml-*.json")} == filled
    assert first.stdout == second.stdout and "1-1" in second.stdout
