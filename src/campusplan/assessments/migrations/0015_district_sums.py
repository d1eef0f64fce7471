"""Per-(run, district) sums of the school scores and of the equity units, and the district a
run judged each school in, filled for an existing database: every score's district is its
school's district now (the best known; runs stored from here on record their own), the sums
for every run a school points at (what the dashboards read)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, F, OuterRef, Subquery, Sum

COUNTS = ("met", "gaps", "violations", "judged", "applicable", "unknown", "optional_gaps")


def fill(apps, schema_editor):
    School = apps.get_model("schools", "School")
    SchoolScore = apps.get_model("assessments", "SchoolScore")
    EquityUnit = apps.get_model("assessments", "EquityUnit")
    CurrentRun = apps.get_model("assessments", "CurrentRun")
    DistrictScore = apps.get_model("assessments", "DistrictScore")
    EquitySum = apps.get_model("assessments", "EquitySum")
    db = schema_editor.connection.alias
    SchoolScore.objects.using(db).update(district_id=Subquery(
        School.objects.using(db).filter(pk=OuterRef("school_id")).values("district_id")[:1]))
    runs = set(CurrentRun.objects.using(db).values_list("run_id", flat=True))
    scores = (SchoolScore.objects.using(db).filter(run_id__in=runs)
              .values("run_id", "district_id")
              .annotate(n=Count("id"), **{f"sum_{k}": Sum(k) for k in COUNTS}))
    DistrictScore.objects.using(db).bulk_create([
        DistrictScore(run_id=r["run_id"], district_id=r["district_id"], schools=r["n"],
                      **{k: r[f"sum_{k}"] or 0 for k in COUNTS}) for r in scores],
        batch_size=1000)
    units = (EquityUnit.objects.using(db).filter(run_id__in=runs, amount__isnull=False,
                                                base__gt=0)
             .values("run_id", "school__district_id", "stage", "measure")
             .annotate(n=Count("id"), sx=Sum("amount"), sp=Sum("base"),
                       sx2p=Sum(F("amount") * F("amount") / F("base"))))
    EquitySum.objects.using(db).bulk_create([
        EquitySum(run_id=u["run_id"], district_id=u["school__district_id"], stage=u["stage"],
                  measure=u["measure"], n=u["n"], x=u["sx"], p=u["sp"], x2p=u["sx2p"])
        for u in units], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0014_result_rows_partitioned_by_run'),
        ('schools', '0007_fact_snapshot'),
    ]

    operations = [
        migrations.AddField(
            model_name='schoolscore',
            name='district',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.district'),
        ),
        migrations.CreateModel(
            name='DistrictScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('schools', models.PositiveIntegerField(default=0)),
                ('met', models.PositiveIntegerField(default=0)),
                ('gaps', models.PositiveIntegerField(default=0)),
                ('violations', models.PositiveIntegerField(default=0)),
                ('judged', models.PositiveIntegerField(default=0)),
                ('applicable', models.PositiveIntegerField(default=0)),
                ('unknown', models.PositiveIntegerField(default=0)),
                ('optional_gaps', models.PositiveIntegerField(default=0)),
                ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.district')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='district_scores', to='assessments.assessmentrun')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('run', 'district'), name='district_score_once')],
            },
        ),
        migrations.CreateModel(
            name='EquitySum',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(max_length=10)),
                ('measure', models.CharField(max_length=40)),
                ('n', models.PositiveIntegerField(default=0)),
                ('x', models.FloatField(default=0)),
                ('p', models.FloatField(default=0)),
                ('x2p', models.FloatField(default=0)),
                ('district', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='schools.district')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='equity_sums', to='assessments.assessmentrun')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('run', 'district', 'stage', 'measure'), name='equity_sum_once')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
