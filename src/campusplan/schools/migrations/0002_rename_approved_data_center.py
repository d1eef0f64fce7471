"""One name for the data-centre approval in every layer: `approved_data_center`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="school", old_name="approved_own_data_center",
                               new_name="approved_data_center"),
    ]
