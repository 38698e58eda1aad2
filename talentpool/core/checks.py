"""Deployment checks (``manage.py check --deploy``): the demo's secrets must not reach production."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def demo_secrets(app_configs: Any, **kwargs: Any) -> list[Warning]:
    from talentpool.settings import DEMO_SECRET_KEY

    problems = []
    if settings.SECRET_KEY == DEMO_SECRET_KEY:
        problems.append(Warning("TALENTPOOL_SECRET_KEY is the demo key.", id="talentpool.W001"))
    if settings.ENCRYPTION_KEY_IS_DERIVED:
        problems.append(
            Warning(
                "TALENTPOOL_ENCRYPTION_KEY is not set: personal data uses a key derived from the secret key.",
                id="talentpool.W002",
            )
        )
    return problems
