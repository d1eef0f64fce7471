"""The Django side of the vocabulary (catalog/vocabulary.py): labels that follow the language.

`lazy_label(table, key)` is a lazy string, like `gettext_lazy`, but it reads the term from the
vocabulary in the active language when it is rendered, so the terms need no .po entries. Outside
a request (migrations, the shell) the language is the default, Chinese.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language

from campusplan.catalog.vocabulary import Table, label


def active_lang() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _label(table: Table, key: str) -> str:
    return label(table, key, active_lang())


lazy_label = lazy(_label, str)


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment as the reader's clock shows it (TIME_ZONE, Asia/Shanghai): the database
    keeps UTC, and an f-string of it would read eight hours early. Unknown → —."""
    if value is None:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(fmt)


class Refused(Exception):
    """An action refused in both languages (nothing was written): the one base of the use
    cases' and services' bilingual refusals; `text(lang)` is what a door shows."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def text(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en
