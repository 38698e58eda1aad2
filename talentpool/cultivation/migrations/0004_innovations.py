# Kept for the innovations records' own schema changes after the initial one (none yet).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0003_competitions")]

    operations: list = []
