"""Users and roles, audit log, background jobs and the working-day calendar (login failures: django-axes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import job_storage
from .roles import Role


class User(AbstractUser):
    """A person who logs in. Enterprise operators are bound to one enterprise, workers to their
    registry record; what each role may see is decided by the querysets' ``restrict``."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.WORKER)
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operators",
    )
    worker = models.OneToOneField(
        "registry.Worker",
        verbose_name=_("worker record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    organisation = models.CharField(
        _("organisation"), max_length=100, blank=True, help_text=_("Bureau or employer shown for leaders and experts.")
    )
    # Set when an admin gives the account a temporary password (core.accounts): every page but the
    # password change redirects there until the user has chosen their own (AccountMiddleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)


    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.OPERATOR) | Q(enterprise__isnull=False),
                name="operator_has_enterprise",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.WORKER) | Q(worker__isnull=False) | Q(is_superuser=True),
                name="worker_has_record",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_worker(self) -> bool:
        return self.role == Role.WORKER and not self.is_superuser

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT


class AuditAction(models.TextChoices):
    """Core's audit events (dotted names, core.registry; CoreConfig.ready() declares them). An
    app declares its own with ``register_audit_events``, named after its label (``registry.…``)."""

    CREATE = "record.create", _("created")
    UPDATE = "record.update", _("changed")
    DELETE = "record.delete", _("deleted")
    REVEAL = "personal_data.reveal", _("viewed personal data")
    IMPORT = "data.import", _("imported")
    EXPORT = "data.export", _("exported")
    # an export holding personal data in full (an admin's round-trip workbook): an export and a reveal
    EXPORT_REVEAL = "data.export_reveal", _("exported personal data in full")
    LOGIN = "auth.login", _("logged in")
    LOGIN_FAILED = "auth.login_failed", _("failed to log in")
    LOCKED = "auth.locked", _("locked out")
    TWO_FACTOR_ENROLMENT = "auth.two_factor.enrolment", _("began setting up two-factor sign-in")
    TWO_FACTOR_CONFIRMED = "auth.two_factor.confirmed", _("set up two-factor sign-in")
    RECOVERY_CODE_USED = "auth.two_factor.recovery_code_used", _("signed in with a recovery code")
    TWO_FACTOR_RESET = "auth.two_factor.reset", _("reset two-factor sign-in")
    PURGE = "audit.purge", _("purged old audit records")


# The names records were written with before events were dotted: the chain hashes the stored name,
# so those records keep it; labels, the filter and the limits read them as the dotted event.
LEGACY_AUDIT_NAMES = {
    "create": AuditAction.CREATE, "update": AuditAction.UPDATE, "delete": AuditAction.DELETE,
    "reveal": AuditAction.REVEAL, "import": AuditAction.IMPORT, "export": AuditAction.EXPORT,
    "login": AuditAction.LOGIN, "login_failed": AuditAction.LOGIN_FAILED, "locked": AuditAction.LOCKED,
    "two_factor_enrolment": AuditAction.TWO_FACTOR_ENROLMENT,
    "two_factor_confirmed": AuditAction.TWO_FACTOR_CONFIRMED,
    "recovery_code_used": AuditAction.RECOVERY_CODE_USED, "two_factor_reset": AuditAction.TWO_FACTOR_RESET,
    "purge": AuditAction.PURGE,
}


def audit_action_choices() -> list[tuple[str, Any]]:
    """The audit events every app declared (core.registry). A callable: a new event needs no migration."""
    from .registry import audit_event_choices

    return audit_event_choices()


class AuditLogIsAppendOnly(Exception):
    """An attempt to change or delete an audit record (only ``purge_audit`` removes old ones)."""


class AuditLogQuerySet(models.QuerySet):
    """The audit log is append-only: bulk changes and deletes are refused (MLPS 2.0 security
    audit: records are protected from deletion, modification and overwriting)."""

    def update(self, **kwargs: object) -> int:
        raise AuditLogIsAppendOnly("audit records cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit records cannot be deleted; old ones are purged by purge_audit")


class AuditLog(models.Model):
    """Who did what to which object, when, from where, with the values before and after.

    Personal data never appears in ``changes``: the services record masked values only.
    Append-only and tamper-evident: each record's ``hash`` is an HMAC over its fields and the
    previous record's hash (``prev_hash``), written by ``core.audit`` only; ``verify_audit``
    walks the chain."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraints on the log's references: history must not block deleting what it
    # describes (actor_label keeps the name), and a 10,000-row import writes 10,000 records whose
    # constraint checks were a tenth of its database time (bench_import.py). DO_NOTHING: deleting
    # a user or a content type must not rewrite history (the ids are hashed into the chain).
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=audit_action_choices)
    content_type = models.ForeignKey(  # indexed by (content_type, object_id): see Meta.indexes
        ContentType, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit records cannot be changed")
        if not self.hash:
            raise AuditLogIsAppendOnly("audit records are written by core.audit.record, which chains them")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("audit records cannot be deleted; old ones are purged by purge_audit")


class AuditChain(models.Model):
    """The head of the audit log's hash chain, one row. Every writer locks it first, so two
    transactions never chain onto the same record. ``last_*`` is the newest record (a deleted
    tail shows), ``anchor_*`` the last purged one, which the oldest kept record chains from."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    anchor_id = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, blank=True)
    anchor_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chain")

    def __str__(self) -> str:
        return f"{self.last_id} {self.last_hash[:12]}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """A long job (import, export, batch) run by the worker, with progress the user can watch."""

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    log = models.TextField(_("log"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    # Encrypted at rest and deleted after their retention (core.files).
    input_file = models.FileField(upload_to="jobs/input/%Y/%m/", storage=job_storage, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/result/%Y/%m/", storage=job_storage,
                                   blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="jobs")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which worker process runs the job and when it last showed life (core.jobs.fail_dead_jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    worker_host = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class CalendarDay(models.Model):
    """An exception to Monday–Friday in the statutory working-day calendar (holiday on a weekday,
    make-up workday on a weekend). Seeded from chinesecalendar, editable by admins."""

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.note}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement an admin has entered in full (beyond chinesecalendar)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_complete = models.BooleanField(_("arrangement complete"), default=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class UserSession(models.Model):
    """A signed-in session (在线用户): written when a sign-in completes (core.auth), its last
    request refreshed at most once a minute (core.accounts.AccountMiddleware), removed at logout,
    when an admin signs it out, and once its Django session has expired."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sessions")
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    signed_in_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last request"), default=timezone.now)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.signed_in_at:%Y-%m-%d %H:%M}"


class ProgrammeSettings(models.Model):
    """The programme being run, as data an admin edits (系统参数): its names and its honour tiers.
    One row (pk 1), seeded from settings.PROGRAMME_NAME and DISTRICT_NAME; read through
    core.programme, which caches it."""

    district_name = models.CharField(_("district name"), max_length=32)
    programme_name = models.CharField(_("programme name"), max_length=100)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")

    def __str__(self) -> str:
        return self.programme_name


class HonourTier(models.Model):
    """An honour tier as the district names it (GLOSSARY: tier — name, rank, annual allowance,
    default quota): 南浔工匠 / 首席技工 / 技术标兵 out of the box. ``code`` is the stable key other
    apps refer to; ``order`` ranks the tiers, 1 the highest. Tiers are retired (inactive), never
    deleted: titles name them."""

    programme = models.ForeignKey(ProgrammeSettings, on_delete=models.CASCADE, related_name="tiers")
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("tier name"), max_length=32)
    order = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the highest tier."))
    annual_allowance = models.DecimalField(_("annual allowance (yuan)"), max_digits=10, decimal_places=2, default=0)
    default_quota = models.PositiveIntegerField(_("default quota"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("honour tier")
        verbose_name_plural = _("honour tiers")
        ordering = ["order", "code"]  # two tiers of one rank are refused by the form (core.programme)

    def __str__(self) -> str:
        return self.name
