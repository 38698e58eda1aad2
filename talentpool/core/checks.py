"""System checks. Always: the audit log's retention is at least the legal minimum. Deployment
(``manage.py check --deploy``, clean with docs/deploy.env.example): the demo's secrets and hosts
must not reach production, and HTTPS must be set up so that it works behind the proxy."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def audit_retention(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from talentpool.core.audit import MIN_RETENTION_DAYS

    if settings.AUDIT_RETENTION_DAYS < MIN_RETENTION_DAYS:
        return [Error(
            f"TALENTPOOL_AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}: audit records must be kept at "
            f"least {MIN_RETENTION_DAYS} days (Cybersecurity Law art. 21, MLPS 2.0).",
            hint=f"Set it to {MIN_RETENTION_DAYS} or more.", id="talentpool.E001",
        )]
    return []


@register(deploy=True)
def demo_secrets(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:  # the settings module's demo default
        problems.append(Warning("TALENTPOOL_SECRET_KEY is the demo key.", id="talentpool.W001"))
    if settings.ENCRYPTION_KEY_IS_DERIVED:
        problems.append(
            Warning(
                "TALENTPOOL_ENCRYPTION_KEY is not set: personal data uses a key derived from the secret key.",
                id="talentpool.W002",
            )
        )
    return problems


@register(deploy=True)
def deployment(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if "*" in settings.ALLOWED_HOSTS:
        problems.append(Warning(
            "TALENTPOOL_ALLOWED_HOSTS contains '*': any Host header is accepted.",
            hint="Name the site's host(s), e.g. rencai.example.gov.cn.", id="talentpool.W003",
        ))
    if settings.SECURE_SSL_REDIRECT and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        problems.append(Warning(
            "TALENTPOOL_SSL_REDIRECT is on but TALENTPOOL_BEHIND_HTTPS_PROXY is not: behind the TLS proxy every "
            "request looks like plain HTTP and is redirected again and again.",
            hint="Set TALENTPOOL_BEHIND_HTTPS_PROXY=1 (nginx sends X-Forwarded-Proto).", id="talentpool.W004",
        ))
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(Warning(
            "The database is not PostgreSQL: production data needs PostgreSQL (backups, concurrent writers, "
            "and the trigger that keeps the audit log append-only).",
            hint="Set TALENTPOOL_DATABASE_URL=postgres://…", id="talentpool.W005",
        ))
    return problems
