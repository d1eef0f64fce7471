"""Stored assessment runs and their result rows, with the catalog version that judged them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campusplan.assessments.choices import Level, RunKind, ScopeKind, Status
from campusplan.schools.models import School


class AssessmentRun(models.Model):
    catalog_key = models.CharField(max_length=40)
    catalog_version = models.CharField(_("规范版本"), max_length=120)
    catalog_checksum = models.CharField(max_length=64)
    as_of = models.DateField(_("评估日期"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    scope_kind = models.CharField(max_length=10, choices=ScopeKind.choices)
    scope_code = models.CharField(max_length=20, blank=True)
    schools = models.PositiveIntegerField(default=0)
    results = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # status → rows
    # official: a confirmed campaign's run ("2026学年 正式评估"), never changed afterwards
    kind = models.CharField(_("批次类型"), max_length=10, choices=RunKind.choices,
                            default=RunKind.WORKING)
    label = models.CharField(_("批次名称"), max_length=120, blank=True)
    # the parameter values in force that are not the standard's own (tailoring), per district:
    # {district code: {key: {"value": v, "level": "city" | "district"}}}; any key not named
    # judged at the standard's default
    parameters = models.JSONField(default=dict, blank=True)
    # the run's full matrix in CAMPUSPLAN_RUN_DIR (assessments/matrix.py); the database then
    # keeps only its gap, violation, unknown and waived rows. Empty: every row is in the database
    matrix_file = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评估批次")
        verbose_name_plural = _("评估批次")

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_code} {self.catalog_version} {self.as_of}"

    @property
    def name(self) -> str:
        """How pages name the run: its label, else "工作评估 #N"."""
        return self.label or f"{RunKind(self.kind).label} #{self.pk}"


class ResultRow(models.Model):
    # no index of their own: result_once leads with the school, result_status with the run
    # (every B-tree is paid by every row a run writes). No database constraint either: only
    # assessment_run_create writes these rows, for the run and the schools it has in hand, and
    # deleting a run or a school cascades through Django's collector as before; PostgreSQL's
    # deferred check of both keys ran once per row at commit, ≈ 1 s of the demo city's ≈ 4 s
    # stored run (docs/development/design-notes.md)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="rows",
                            db_index=False, db_constraint=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="results",
                               db_index=False, db_constraint=False)
    requirement_id = models.CharField(_("要求编号"), max_length=20)
    item = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    actual = models.FloatField(null=True, blank=True)
    required = models.FloatField(null=True, blank=True)
    shortfall = models.FloatField(null=True, blank=True)
    basis = models.FloatField(null=True, blank=True)  # e.g. the students a ratio is per
    # rooms (services) of an `each` failing or missing; its shortfall is then in the unit of
    # what the condition measures (student computers, outlets)
    rows_short = models.FloatField(null=True, blank=True)
    # an approved waiver valid on the run date set this failing row aside (not applicable)
    waived_by = models.ForeignKey("schools.Deviation", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", db_index=False)

    class Meta:
        # result_once, school first, is also how a school's rows of a run are found (the school
        # page, the lists joined to each school's current run); the lists read status, level and
        # item from the rows, not from a covering index: that index was 37 of the 161 MB a
        # 10,000-school run adds, for lists that are cached (docs/scale.md, 2026-12-06)
        constraints = [models.UniqueConstraint(fields=["school", "run", "requirement_id"],
                                               name="result_once")]
        indexes = [models.Index(fields=["run", "status"], name="result_status"),
                   # a deleted deviation's rows are found by it (SET_NULL); few rows have one
                   models.Index(fields=["waived_by"], name="result_waived",
                                condition=models.Q(waived_by__isnull=False))]


class SchoolScore(models.Model):
    """A school's roll-up in one run, stored with the run so dashboards read 1 row per school
    instead of 230 — and the key per-student ratios whose spread (差异系数) the city watches."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="scores")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="scores")
    # the district the run judged the school in: what its district figures counted it under
    # (DistrictScore, EquitySum, RequirementTally), should the school move later
    district = models.ForeignKey("schools.District", null=True, on_delete=models.CASCADE,
                                 related_name="+", db_index=False)
    met = models.PositiveIntegerField(default=0)
    gaps = models.PositiveIntegerField(default=0)
    violations = models.PositiveIntegerField(default=0)
    judged = models.PositiveIntegerField(default=0)
    applicable = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    optional_gaps = models.PositiveIntegerField(default=0)
    rate = models.FloatField(null=True, blank=True)  # met / judged, required only
    completeness = models.FloatField(null=True, blank=True)
    students_per_computer = models.FloatField(null=True, blank=True)  # 生机比
    teacher_computers_per_teacher = models.FloatField(null=True, blank=True)
    multimedia_rooms_per_100 = models.FloatField(null=True, blank=True)  # 每百名学生
    # the columns filled from the catalog's `indicators:` of the same key (others stay empty)
    RATIO_FIELDS = ("students_per_computer", "teacher_computers_per_teacher",
                    "multimedia_rooms_per_100")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "school"], name="score_once")]
        indexes = [models.Index(fields=["school", "run"], name="score_school_run")]


class EquityUnit(models.Model):
    """One school's 学段 as the 差异系数 counts it (engine/equity.py), kept with the run so the
    dashboards weigh it without rescanning facts: the resource (`amount`, x_i: the school's
    share of its student computers, …) and the head count it is per (`base`, P_i)."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="equity_units")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="equity_units")
    stage = models.CharField(max_length=10)
    measure = models.CharField(max_length=40)  # an `indicators.equity.measures` key
    amount = models.FloatField(null=True, blank=True)
    base = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "school", "stage", "measure"],
                                               name="equity_unit_once")]
        indexes = [models.Index(fields=["school", "run"], name="equity_school_run")]


class CurrentRun(models.Model):
    """The run that judged the school last: what every page reads as its current result
    (assessments.selectors.current_rows and siblings, the one definition). A new run moves the
    pointer; no row of an older run is rewritten, so runs stay append-only history."""

    school = models.OneToOneField(School, primary_key=True, on_delete=models.CASCADE,
                                  related_name="current_run")
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="pointers")

    class Meta:
        indexes = [models.Index(fields=["run", "school"], name="current_run_school")]


class DistrictScore(models.Model):
    """Per (run, district): the sums of the run's school scores there, stored with the run, so
    the city dashboard adds a row per district and run instead of grouping every school's score
    (assessments/dashboards.py)."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE,
                            related_name="district_scores")
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    schools = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    gaps = models.PositiveIntegerField(default=0)
    violations = models.PositiveIntegerField(default=0)
    judged = models.PositiveIntegerField(default=0)
    applicable = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    optional_gaps = models.PositiveIntegerField(default=0)

    COUNTS = ("met", "gaps", "violations", "judged", "applicable", "unknown", "optional_gaps")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "district"],
                                               name="district_score_once")]


class EquitySum(models.Model):
    """Per (run, district, 学段, measure): n, Σx, ΣP and Σx²/P of the run's known equity units
    there (amount known, base > 0) — what the official 差异系数 needs (engine.equity
    `spread_of_sums`), stored with the run so the dashboards add sums instead of grouping
    every school's units."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="equity_sums")
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10)
    measure = models.CharField(max_length=40)
    n = models.PositiveIntegerField(default=0)
    x = models.FloatField(default=0)
    p = models.FloatField(default=0)
    x2p = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "district", "stage", "measure"],
                                               name="equity_sum_once")]


class RequirementTally(models.Model):
    """Per (run, district, requirement, level): how many of the run's schools in the district
    the requirement found met, gap, violation, unknown or not applicable — counted by the engine's
    frame when the run is stored, so a dashboard adds a few hundred tallies instead of grouping
    every result row (assessments/dashboards.py)."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="tallies")
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    requirement_id = models.CharField(max_length=20)
    item = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    met = models.PositiveIntegerField(default=0)
    gap = models.PositiveIntegerField(default=0)
    violation = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    not_applicable = models.PositiveIntegerField(default=0)

    STATUSES = ("met", "gap", "violation", "unknown", "not_applicable")

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["run", "district", "requirement_id", "level"], name="tally_once")]
