"""The registry's import kinds, registered with core's import engine (RegistryConfig.ready)."""

from __future__ import annotations

from typing import Any

from talentpool.core.imports import ImportKindSpec, ImportTemplate, register_import_kind
from talentpool.core.roles import Role

from ..models import Certificate, Enterprise, Honour, Industry, Worker
from ..services import record_refusals
from .schema import CERTIFICATES, ENTERPRISES, HONOURS, WORKERS, KindSpec
from .validate import CertificateValidator, EnterpriseValidator, HonourValidator, Validator, WorkerValidator
from .write import Writer


def industry_names() -> list[str]:
    return list(Industry.objects.values_list("name", flat=True))


def bound_to_an_enterprise(user: Any) -> bool:
    """Admins import for everyone; an operator only while bound to their enterprise."""
    return bool(user.is_admin or user.enterprise_id)


def _kind(spec: KindSpec, match: type[Validator], model: type[Any], order: int, **template: Any) -> ImportKindSpec:
    return ImportKindSpec(
        key=spec.kind.value,
        label=spec.label,
        columns=spec.columns,
        match=match,
        write=Writer,
        roles=(Role.ADMIN,) if spec.admin_only else (Role.ADMIN, Role.OPERATOR),
        allowed=bound_to_an_enterprise,
        order=order,
        has_mode=spec.has_mode,
        template=ImportTemplate(notes=spec.notes, **template),
        model=model,
        on_refusals=record_refusals,
    )


KINDS = (
    _kind(ENTERPRISES, EnterpriseValidator, Enterprise, 10, choices={"industry": industry_names}),
    _kind(WORKERS, WorkerValidator, Worker, 20),
    _kind(CERTIFICATES, CertificateValidator, Certificate, 30),
    _kind(HONOURS, HonourValidator, Honour, 40),
)


def register() -> None:
    register_import_kind(*KINDS)
