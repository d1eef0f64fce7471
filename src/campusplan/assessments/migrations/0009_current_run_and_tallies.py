"""The current-run pointer and the per-(run, district, requirement) tallies, filled from the
`current` flags of an existing database (the next migration drops the flags)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q

STATUSES = ("met", "gap", "violation", "unknown", "not_applicable")


def fill(apps, schema_editor):
    """A school's pointer: the run of its current score (else of its current rows); each
    pointed-at run's tallies from its stored rows."""
    CurrentRun = apps.get_model("assessments", "CurrentRun")
    SchoolScore = apps.get_model("assessments", "SchoolScore")
    ResultRow = apps.get_model("assessments", "ResultRow")
    Tally = apps.get_model("assessments", "RequirementTally")
    db = schema_editor.connection.alias
    pointers = dict(ResultRow.objects.using(db).filter(current=True)
                    .values_list("school_id", "run_id").distinct())
    pointers.update(SchoolScore.objects.using(db).filter(current=True)
                    .values_list("school_id", "run_id"))
    CurrentRun.objects.using(db).bulk_create(
        [CurrentRun(school_id=s, run_id=r) for s, r in pointers.items()], batch_size=1000)
    for run_id in sorted(set(pointers.values())):
        rows = (ResultRow.objects.using(db).filter(run_id=run_id)
                .values("school__district_id", "requirement_id", "level")
                .annotate(item=models.Min("item"),
                          **{s: Count("id", filter=Q(status=s)) for s in STATUSES}))
        Tally.objects.using(db).bulk_create([
            Tally(run_id=run_id, district_id=r["school__district_id"],
                  requirement_id=r["requirement_id"], level=r["level"], item=r["item"],
                  **{s: r[s] for s in STATUSES}) for r in rows], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0008_run_parameters_waivers'),
        ('schools', '0005_tailoring_deviations_evidence'),
    ]

    operations = [
        migrations.CreateModel(
            name='CurrentRun',
            fields=[
                ('school', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='current_run', serialize=False, to='schools.school')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pointers', to='assessments.assessmentrun')),
            ],
            options={'indexes': [models.Index(fields=['run', 'school'], name='current_run_school')]},
        ),
        migrations.CreateModel(
            name='RequirementTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requirement_id', models.CharField(max_length=20)),
                ('item', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('level', models.CharField(choices=[('required', '必配'), ('optional', '选配')], max_length=10)),
                ('met', models.PositiveIntegerField(default=0)),
                ('gap', models.PositiveIntegerField(default=0)),
                ('violation', models.PositiveIntegerField(default=0)),
                ('unknown', models.PositiveIntegerField(default=0)),
                ('not_applicable', models.PositiveIntegerField(default=0)),
                ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.district')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tallies', to='assessments.assessmentrun')),
            ],
            options={'constraints': [models.UniqueConstraint(fields=('run', 'district', 'requirement_id', 'level'), name='tally_once')]},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
