"""Excel import of the registry (SPEC §3.1): enterprises, workers with their employment,
certificates and honours. Read (``reader``) → validate every row (``validate``) → preview →
write in one transaction (``write``); templates and error reports in ``templates``."""

from __future__ import annotations

from talentpool.core.models import User
from talentpool.core.roles import Role

from .schema import SPECS, ImportKind, ImportMode, KindSpec, spec_for

__all__ = ["SPECS", "ImportKind", "ImportMode", "KindSpec", "allowed_kinds", "spec_for"]


def allowed_kinds(user: User) -> list[ImportKind]:
    """What ``user`` may import: admins everything, operators their own workers' records."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_admin:
        return list(SPECS)
    if user.role == Role.OPERATOR and user.enterprise_id:
        return [kind for kind, spec in SPECS.items() if not spec.admin_only]
    return []
