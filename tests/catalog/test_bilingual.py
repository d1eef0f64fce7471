"""The catalog's own words in both languages: notes, parameter units, fact choices."""

from __future__ import annotations

import re

from campusplan.catalog import load_catalog

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
CATALOG = load_catalog()


def test_every_note_has_a_chinese_and_an_english_half():
    for _area, _item, req in CATALOG.standard.requirements():
        if req.note:
            zh, en = req.note_in("zh-hans"), req.note_in("en")
            assert CJK.search(zh) and en and not CJK.search(en), req.id
            assert f"{zh}{en}".replace(" ", "") == req.note.replace(" ", ""), req.id


def test_every_parameter_unit_reads_in_english():
    for p in CATALOG.standard.parameters:
        assert not CJK.search(p.unit_in("en")), p.key
        assert p.unit_in("zh") == str(p.unit)


def test_every_choice_reads_in_english():
    for f in CATALOG.facts.facts:
        for choice in f.choices or ():
            assert not CJK.search(f.choice_label(choice, "en")), (f.key, choice)
            assert f.choice_label(choice, "zh")


def test_a_provider_choice_is_the_vocabularys_word():
    fact = next(f for f in CATALOG.facts.facts if f.vocabulary == "provider")
    assert fact.choice_label("district", "zh") == "区级统一提供"
