# Kept for the demo records' own schema changes after the initial one (none yet).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0006_studios")]

    operations: list = []
