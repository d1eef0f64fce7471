"""Password rules of 等保 2.0 level 3 (身份鉴别: 口令具有复杂度要求并定期更换), beside Django's
length, similarity, common-password and all-digits validators (settings.AUTH_PASSWORD_VALIDATORS).

* ComplexityValidator: characters of at least `classes` of four kinds (lower, upper, digit,
  other).
* HistoryValidator: not one of the user's last `keep` passwords; `password_changed` (which
  Django calls whenever a password is set and saved) keeps the hash in PasswordHistory.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campusplan.accounts.models import PasswordHistory


def _classes(password: str) -> int:
    kinds = (str.islower, str.isupper, str.isdigit)
    found = {i for ch in password for i, test in enumerate(kinds) if test(ch)}
    if any(not (ch.islower() or ch.isupper() or ch.isdigit()) for ch in password):
        found.add(3)
    return len(found)


class ComplexityValidator:
    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        if _classes(password) < self.classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)s 类。") % {"n": self.classes}


class HistoryValidator:
    def __init__(self, keep: int = 5):
        self.keep = keep

    def _recent(self, user):
        if user is None or user.pk is None:
            return []
        return PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
            :self.keep]

    def validate(self, password, user=None):
        current = [user.password] if user is not None and user.password else []
        for encoded in [*current, *self._recent(user)]:
            if check_password(password, encoded):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()

    def get_help_text(self):
        return _("不能与最近 %(n)s 次使用过的密码相同。") % {"n": self.keep}
