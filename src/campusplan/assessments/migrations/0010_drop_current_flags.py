"""The `current` flags give way to the CurrentRun pointer (filled by 0009)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0009_current_run_and_tallies'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='equityunit', name='equity_current'),
        migrations.RemoveIndex(model_name='resultrow', name='result_current'),
        migrations.RemoveIndex(model_name='resultrow', name='result_school'),
        migrations.RemoveIndex(model_name='schoolscore', name='score_current'),
        migrations.RemoveField(model_name='equityunit', name='current'),
        migrations.RemoveField(model_name='resultrow', name='current'),
        migrations.RemoveField(model_name='schoolscore', name='current'),
        migrations.AddIndex(
            model_name='equityunit',
            index=models.Index(fields=['school', 'run'], name='equity_school_run'),
        ),
        migrations.AddIndex(
            model_name='resultrow',
            index=models.Index(fields=['school', 'run', 'status', 'level', 'item', 'requirement_id'], name='result_school_run'),
        ),
        migrations.AddIndex(
            model_name='schoolscore',
            index=models.Index(fields=['school', 'run'], name='score_school_run'),
        ),
    ]
