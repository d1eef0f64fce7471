"""Who may see and change what (scopes), and the audit trail of every change.

A user's scope is a level — 市级 (all districts), 区级 (one district), 校级 (one school) — and a
`read_only` flag for 督导 (auditors), who see a scope of any level and change nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campusplan.accounts.choices import AdminRole, AuditSource, Level, Outcome


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile")
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    district = models.ForeignKey("schools.District", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    read_only = models.BooleanField(_("督导（只读）"), default=False)
    # an initial or reset password: the next sign-in must change it (accounts.views)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户范围")
        constraints = [
            models.CheckConstraint(name="profile_scope_matches_level", condition=(
                Q(level=Level.CITY, district__isnull=True, school__isnull=True)
                | Q(level=Level.DISTRICT, district__isnull=False, school__isnull=True)
                | Q(level=Level.SCHOOL, school__isnull=False))),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role_label}"

    @property
    def role_label(self) -> str:
        label = str(Level(self.level).label)
        return f"督导（{label}）" if self.read_only else label


class AppendOnly(models.QuerySet):
    """The audit trail is append-only: no update or delete through the ORM (the archive step
    removes archived rows with `_archive_delete`). Tampering below the ORM is what the hash
    chain (accounts/chain.py) detects."""

    def update(self, **kwargs):
        raise TypeError("the audit trail is append-only")

    def delete(self):
        raise TypeError("the audit trail is append-only")

    def _archive_delete(self) -> int:
        return self._raw_delete(self.db)


class AuditEntry(models.Model):
    """One change or security event: who, when, from which address, on what, before → after,
    with what outcome. Written by services; chained by accounts/chain.py (`batch`, `digest`)."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, db_index=False)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    source = models.CharField(max_length=10, choices=AuditSource.choices)
    request_id = models.CharField(max_length=36, blank=True)
    # indexed by (school, -at) below; the trail is read per school, newest first
    school = models.ForeignKey("schools.School", null=True, blank=True, db_index=False,
                               on_delete=models.SET_NULL, related_name="audit_entries")
    district_code = models.CharField(max_length=12, blank=True)
    # an import's file, template and checksum live once in its Source, not on every row
    import_source = models.ForeignKey("schools.Source", null=True, blank=True, db_index=False,
                                      on_delete=models.SET_NULL, related_name="+")
    object_type = models.CharField(max_length=40)
    object_key = models.CharField(max_length=200)
    field = models.CharField(max_length=80, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    address = models.CharField(_("地址"), max_length=45, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, blank=True, choices=Outcome.choices)
    # the rows written by one call share a batch; each row's digest chains the previous one's
    batch = models.CharField(max_length=32, blank=True, db_index=True)
    digest = models.CharField(max_length=64, blank=True)

    objects = AppendOnly.as_manager()

    # the school's data version this write produced (schools.versions): "changed since n"
    school_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        # the trail is read per school, per district (the audit page of a district officer) and
        # per kind of object, each newest first
        indexes = [models.Index(fields=["school", "-at"], name="audit_school_at"),
                   models.Index(fields=["district_code", "-at", "-id"], name="audit_district_at"),
                   models.Index(fields=["object_type", "-at"], name="audit_type_at")]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the audit trail is append-only")


class AuditSeal(models.Model):
    """One sealed batch of audit rows, linked to the previous seal: the hash chain.

    digest = SHA-256(prev | batch | count | the batch's last row digest). `prev` is unique, so
    two sealers racing for the same predecessor cannot both win (the loser retries)."""

    at = models.DateTimeField(default=timezone.now)
    batch = models.CharField(max_length=32, unique=True)
    count = models.PositiveIntegerField()
    last = models.CharField(max_length=64)
    prev = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    # set when the batch's rows moved to an archive file (they are verified there)
    archived_at = models.DateTimeField(null=True, blank=True)
    archive = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("审计链")


class LoginCounter(models.Model):
    """Failed-login counts, one row per key (account+address, address, account, device),
    incremented with a conditional UPDATE so parallel attempts cannot overshoot the limit."""

    key = models.CharField(max_length=40, unique=True)
    count = models.PositiveIntegerField(default=0)
    until = models.DateTimeField()
    limit = models.PositiveIntegerField(default=0)  # the count that locks
    noted = models.BooleanField(default=False)  # the lockout is in the audit trail


class PasswordHistory(models.Model):
    """A user's earlier password hashes, for the history validator (never the passwords)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class AdminGrant(models.Model):
    """A user's one 三员 role (系统 / 安全 / 审计管理员). One role per user, and no business
    profile beside it: accounts/roles.py grants and refuses."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="admin_grant")
    role = models.CharField(_("管理角色"), max_length=10, choices=AdminRole.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("管理角色")


class ApiToken(models.Model):
    """A named, revocable API token of one user (`Authorization: Bearer <secret>`).

    Only the SHA-256 hash of the secret is stored; the secret is shown once, when created.
    Logic lives in accounts/tokens.py."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=16)  # the secret's first characters, to recognise it
    key_hash = models.CharField(max_length=64, unique=True)  # hex SHA-256 of the secret
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class RateWindow(models.Model):
    """One fixed window of a rate limit (accounts/ratelimit.py): how many calls it counted.
    A row, not a cache entry, so that counting is one atomic UPDATE in every process."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)


class SavedView(models.Model):
    """A user's named list view: which list and the query string of its filters, sort and page
    size (usecases.lists keeps only the list's own parameters). Opening it opens the list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_views")
    kind = models.CharField(max_length=10)  # schools | results
    name = models.CharField(_("名称"), max_length=80)
    query = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("保存的视图")
        verbose_name_plural = _("保存的视图")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "name"],
                                               name="saved_view_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.name}"


class Notification(models.Model):
    """A message to one user, shown under the bell and mailed when e-mail is configured.

    Stored as a kind and its parameters, rendered when read in the reader's language
    (accounts.notices); `url` is where it leads."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", db_index=False)
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]


class Job(models.Model):
    """A long operation run by the background worker (usecases.jobs), with its progress: the
    page polls it and shows the result when done."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = ((QUEUED, _("排队中")), (RUNNING, _("进行中")), (DONE, _("已完成")),
              (FAILED, _("失败")))

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="jobs")
    kind = models.CharField(max_length=30)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    file_path = models.CharField(max_length=500, blank=True)  # a produced file, under var/jobs
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    @property
    def percent(self) -> int:
        if self.state == self.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.DONE, self.FAILED)
