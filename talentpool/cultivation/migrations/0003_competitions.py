# Kept for the competitions records' own schema changes after the initial one (none yet).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0002_training")]

    operations: list = []
