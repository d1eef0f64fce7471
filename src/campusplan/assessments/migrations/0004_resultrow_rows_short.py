from django.db import migrations, models


class Migration(migrations.Migration):
    """A per-room check keeps both its rooms short and its shortfall in the measured unit."""

    dependencies = [("assessments", "0003_resultrow_numbers_only")]

    operations = [migrations.AddField(model_name="resultrow", name="rows_short",
                                      field=models.FloatField(blank=True, null=True))]
