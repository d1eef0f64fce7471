"""A deleted run takes its Parquet matrix with it (once the deletion is committed, so a
rolled-back delete keeps the file its run still names)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from campusplan.assessments import matrix
from campusplan.assessments.models import AssessmentRun


@receiver(post_delete, sender=AssessmentRun, dispatch_uid="run_matrix_delete")
def _drop_matrix(sender, instance: AssessmentRun, **_kwargs) -> None:
    if instance.matrix_file:
        target = matrix.path(instance.matrix_file)
        transaction.on_commit(lambda: target.unlink(missing_ok=True))
