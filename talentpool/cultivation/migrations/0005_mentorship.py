# Kept for the mentorship records' own schema changes after the initial one (none yet).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0004_innovations")]

    operations: list = []
