"""The admin's own pages (系统管理): accounts that must change a temporary password, the finance
role, signed-in sessions, and the programme settings as data, seeded from the settings."""

from decimal import Decimal

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# The three tiers of SPEC.md §1 (code, name after the district, rank, allowance, quota).
TIERS = [
    ("craftsman", "{place}工匠", 1, Decimal("5000"), 100),
    ("chief_technician", "首席技工", 2, Decimal("3000"), 200),
    ("technical_model", "技术标兵", 3, Decimal("1500"), 800),
]


def place_name(district: str) -> str:
    """南浔区 → 南浔 (the craftsman tier carries the place's name: 南浔工匠)."""
    return district[:-1] if len(district) > 2 and district[-1] in "区县市旗" else district


def seed_programme(apps, schema_editor):  # type: ignore[no-untyped-def]
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    HonourTier = apps.get_model("core", "HonourTier")
    programme, _ = ProgrammeSettings.objects.get_or_create(
        pk=1, defaults={"district_name": settings.DISTRICT_NAME, "programme_name": settings.PROGRAMME_NAME}
    )
    for code, name, order, allowance, quota in TIERS:
        HonourTier.objects.get_or_create(
            code=code,
            defaults={
                "programme": programme,
                "name": name.format(place=place_name(programme.district_name)),
                "order": order,
                "annual_allowance": allowance,
                "default_quota": quota,
            },
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_remove_login_failure'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProgrammeSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('district_name', models.CharField(max_length=32, verbose_name='district name')),
                ('programme_name', models.CharField(max_length=100, verbose_name='programme name')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
            ],
            options={
                'verbose_name': 'programme settings',
                'verbose_name_plural': 'programme settings',
            },
        ),
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, verbose_name='must change password'),
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('admin', 'Programme admin'), ('leader', 'Leadership / partner bureau'), ('operator', 'Enterprise operator'), ('expert', 'Expert'), ('worker', 'Worker'), ('finance', 'Finance')], default='worker', max_length=16, verbose_name='role'),
        ),
        migrations.CreateModel(
            name='HonourTier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=32, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=32, verbose_name='tier name')),
                ('order', models.PositiveSmallIntegerField(help_text='1 is the highest tier.', verbose_name='rank')),
                ('annual_allowance', models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name='annual allowance (yuan)')),
                ('default_quota', models.PositiveIntegerField(default=0, verbose_name='default quota')),
                ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tiers', to='core.programmesettings')),
            ],
            options={
                'verbose_name': 'honour tier',
                'verbose_name_plural': 'honour tiers',
                'ordering': ['order', 'code'],
            },
        ),
        migrations.CreateModel(
            name='UserSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('session_key', models.CharField(max_length=40, unique=True)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='browser')),
                ('signed_in_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='signed in')),
                ('last_seen', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last request')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'signed-in session',
                'verbose_name_plural': 'signed-in sessions',
                'ordering': ['-last_seen', '-id'],
            },
        ),
        migrations.RunPython(seed_programme, migrations.RunPython.noop),
    ]
