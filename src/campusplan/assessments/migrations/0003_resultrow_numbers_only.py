from django.db import migrations


class Migration(migrations.Migration):
    """Result rows keep numbers; explanations are rendered when read, in the reader's language."""

    dependencies = [("assessments", "0002_schoolscore_resultrow_current_and_more")]

    operations = [migrations.RemoveField(model_name="resultrow", name="explanation")]
