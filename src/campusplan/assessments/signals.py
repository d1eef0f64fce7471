"""A deleted run takes its Parquet matrix with it (once the deletion is committed, so a
rolled-back delete keeps the file its run still names), and a large run its partition of result
rows on PostgreSQL: the table is dropped in the deletion's transaction, before Django's DELETE of
the run's rows, which then finds none to delete one by one (assessments/partitions.py)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from campusplan.assessments import matrix, partitions
from campusplan.assessments.models import AssessmentRun


@receiver(post_delete, sender=AssessmentRun, dispatch_uid="run_matrix_delete")
def _drop_matrix(sender, instance: AssessmentRun, **_kwargs) -> None:
    if instance.matrix_file:
        target = matrix.path(instance.matrix_file)
        transaction.on_commit(lambda: target.unlink(missing_ok=True))


@receiver(pre_delete, sender=AssessmentRun, dispatch_uid="run_partition_drop")
def _drop_partition(sender, instance: AssessmentRun, **_kwargs) -> None:
    partitions.drop([instance.pk])
