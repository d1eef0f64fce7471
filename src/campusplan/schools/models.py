"""Districts, schools, campuses, rooms, devices, purchased services and their facts.

Natural keys everywhere (行政区划代码, 学校标识码, room codes, asset tags), never database ids in
files. A fact value is a row of FactValue with its provenance (Source: file, who, when; plus the
sheet, row and column or JSON path); a changed value supersedes the current row, so history is
kept and a re-import that changes nothing writes nothing. Missing is unknown: no row, never 0.
Only counts of students are kept, no personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campusplan.i18n import local_time
from campusplan.schools.choices import (
    DeviationKind,
    EvidenceKind,
    ParamLevel,
    ProvidedBy,
    SmartPhase,
    SourceKind,
)

STAGES = ("primary", "junior", "senior")
STAGE_KEYS = ("classes", "students", "max_class_size")
STAGE_COLUMNS = {(st, k): f"{st}_{k}" for st in STAGES for k in STAGE_KEYS}


class District(models.Model):
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区")
        verbose_name_plural = _("行政区")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Source(models.Model):
    """Where a batch of values came from, who brought it and when."""

    kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.IMPORT)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    template = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.actor} {local_time(self.created_at)}"


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class School(models.Model):
    code = models.CharField(_("学校标识码"), max_length=20, unique=True)
    name = models.CharField(_("学校名称"), max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    school_type = models.CharField(_("办学类型"), max_length=3)
    teachers = models.PositiveIntegerField(_("专任教师"), null=True, blank=True)
    smart_phase = models.CharField(_("智慧教室应用阶段"), max_length=12, blank=True,
                                   choices=SmartPhase.choices, default=SmartPhase.NONE)
    smart_phase_since = models.DateField(_("当前阶段开始日期"), null=True, blank=True)
    approved_data_center = models.BooleanField(_("自建数据中心已获批"), default=False)
    # a complete list was given (even an empty one): unlisted room types are absent, not unknown
    rooms_inventoried = models.BooleanField(_("房间清单完整"), default=False)
    services_inventoried = models.BooleanField(_("服务清单完整"), default=False)
    profile_source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # bumped by every write of the school's data (schools.versions): a workbook or form made
    # at version n knows which of its cells changed since (docs/data-exchange.md)
    version = models.PositiveIntegerField(_("数据版本"), default=0, db_index=True)
    # the stage profile: counts only (STAGE_COLUMNS maps engine keys to these fields)
    primary_classes = _count(_("小学班级数"))
    primary_students = _count(_("小学学生数"))
    primary_max_class_size = _count(_("小学最大班额"))
    junior_classes = _count(_("初中班级数"))
    junior_students = _count(_("初中学生数"))
    junior_max_class_size = _count(_("初中最大班额"))
    senior_classes = _count(_("高中班级数"))
    senior_students = _count(_("高中学生数"))
    senior_max_class_size = _count(_("高中最大班额"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Campus(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="campuses")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="campus_code")]


class Room(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rooms")
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.SET_NULL)
    code = models.CharField(_("房间编号"), max_length=60)
    room_type = models.CharField(_("房间类型"), max_length=40)  # a key of facts.yaml room_types
    name = models.CharField(_("房间名称"), max_length=200, blank=True)

    class Meta:
        ordering = ["school", "code"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="room_code")]


class PurchasedService(models.Model):
    """An online service (svc35–svc43) bought by a school, or by the district for its schools."""

    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="services")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="services")
    category = models.CharField(_("服务类别"), max_length=20)
    name = models.CharField(_("服务名称"), max_length=200)
    vendor = models.CharField(_("服务商"), max_length=200, blank=True)
    provided_by = models.CharField(max_length=10, choices=ProvidedBy.choices,
                                   default=ProvidedBy.SCHOOL)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(school__isnull=False, district__isnull=True)
                                   | Q(school__isnull=True, district__isnull=False),
                                   name="service_one_owner"),
            models.UniqueConstraint(fields=["school", "category", "name"],
                                    condition=Q(school__isnull=False), name="service_school"),
            models.UniqueConstraint(fields=["district", "category", "name"],
                                    condition=Q(school__isnull=True), name="service_district"),
        ]


class Device(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="devices")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="devices")
    kind = models.CharField(_("设备类型"), max_length=40)  # a key of exchange/device_kinds.yaml
    model = models.CharField(_("型号"), max_length=200, blank=True)
    purchase_date = models.DateField(_("购置日期"), null=True, blank=True)
    cost = models.DecimalField(_("购置金额"), max_digits=14, decimal_places=2, null=True,
                               blank=True)
    asset_tag = models.CharField(_("资产标签"), max_length=100)  # Snipe-IT's Asset Tag
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "asset_tag"], name="device_tag")]


class FactValue(models.Model):
    """One value of one fact of a school, a room or a service, and where it came from."""

    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="fact_values", db_index=False)  # fact_school_idx
    # fact_room / fact_service: indexed only where set (a school's own fact has neither, a
    # room's fact no service), as one B-tree fewer per value written
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="fact_values", db_index=False)
    service = models.ForeignKey(PurchasedService, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="fact_values",
                                db_index=False)
    key = models.CharField(max_length=64)
    num = models.FloatField(null=True, blank=True)
    flag = models.BooleanField(null=True, blank=True)
    text = models.CharField(max_length=200, null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="fact_values")
    sheet = models.CharField(max_length=64, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=8, blank=True)
    path = models.CharField(max_length=200, blank=True)  # JSON path, for .json imports
    derived_from = models.CharField(max_length=300, blank=True)  # e.g. counted from devices
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "key"], name="fact_school_current",
                                    condition=Q(room__isnull=True, service__isnull=True,
                                                superseded_at__isnull=True)),
            models.UniqueConstraint(fields=["room", "key"], name="fact_room_current",
                                    condition=Q(room__isnull=False, superseded_at__isnull=True)),
            models.UniqueConstraint(fields=["service", "key"], name="fact_service_current",
                                    condition=Q(service__isnull=False,
                                                superseded_at__isnull=True)),
        ]
        indexes = [models.Index(fields=["school", "superseded_at"], name="fact_school_idx"),
                   # what deleting a room or a service cascades through
                   models.Index(fields=["room"], name="fact_room",
                                condition=Q(room__isnull=False)),
                   models.Index(fields=["service"], name="fact_service",
                                condition=Q(service__isnull=False))]

    @property
    def value(self):
        return self.flag if self.flag is not None else self.num if self.num is not None \
            else self.text

    def set_value(self, value) -> None:
        self.flag = value if isinstance(value, bool) else None
        self.num = float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
            else None
        self.text = value if isinstance(value, str) else None


class FactSnapshot(models.Model):
    """A district's current school and room facts, pivoted, with each school's version: what a
    large stored run reads instead of the fact table (schools/snapshots.py). A cache that is
    always safe to delete."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, primary_key=True,
                                    related_name="+")
    key = models.CharField(max_length=40)  # the format and fact dictionary it was pivoted by
    schools = models.BinaryField()  # Arrow IPC: owner, version, fact.<key>…
    rooms = models.BinaryField()  # Arrow IPC: owner, school, room_code, room_type, room.<key>…
    written_at = models.DateTimeField(auto_now=True)


class ParameterSetting(models.Model):
    """A parameter value set by the city (district empty: for every district) or by one
    district over it (tailoring). A district's value may only be stricter than the city's value
    in force (usecases.tailoring decides which way is stricter from the catalog)."""

    level = models.CharField(_("层级"), max_length=10, choices=ParamLevel.choices)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="parameters")
    key = models.CharField(_("参数"), max_length=60)
    value = models.FloatField(_("取值"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(district__isnull=True),
                                    name="one_city_value_per_parameter"),
            models.UniqueConstraint(fields=["district", "key"],
                                    condition=Q(district__isnull=False),
                                    name="one_district_value_per_parameter"),
        ]
        ordering = ["key", "district"]


class Deviation(models.Model):
    """An approved deviation of one school, valid from `granted_on` through `expires_on`: the
    approval of its own data centre (5.3 获批后开展建设), a smart-classroom phase application
    (5.11 可申请增加), or a waiver of one requirement. Every assessment reads its validity as of
    the run date, so an expired one stops counting by itself."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="deviations")
    kind = models.CharField(_("类型"), max_length=12, choices=DeviationKind.choices)
    requirement_id = models.CharField(_("豁免的要求"), max_length=20, blank=True)
    phase = models.CharField(_("申请的阶段"), max_length=12, blank=True,
                             choices=SmartPhase.choices)
    justification = models.TextField(_("理由"))
    approver = models.CharField(_("审批人"), max_length=150)
    granted_on = models.DateField(_("批准日期"))
    expires_on = models.DateField(_("有效期至"))
    attachment = models.ForeignKey("Evidence", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["school", "kind"]), models.Index(fields=["expires_on"])]

    def valid_on(self, day) -> bool:
        return (self.granted_on <= day <= self.expires_on
                and (self.revoked_on is None or day < self.revoked_on))


class Evidence(models.Model):
    """A file proving a school's requirement (photo, contract, acceptance report), kept under
    the var/ directory, outside the web root; served only through a scoped download."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="evidence")
    requirement_id = models.CharField(_("要求编号"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=EvidenceKind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=100, unique=True)  # a random name in the store
    note = models.CharField(_("说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requirement_id", "-uploaded_at"]
        indexes = [models.Index(fields=["school", "requirement_id"])]
