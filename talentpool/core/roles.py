"""The roles of SPEC.md §2 (the public needs no account) and what each may do, in one place."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Programme admin")
    LEADER = "leader", _("Leadership / partner bureau")
    OPERATOR = "operator", _("Enterprise operator")
    EXPERT = "expert", _("Expert")
    WORKER = "worker", _("Worker")
    # The finance bureau (区财政局, SPEC.md §2: a partner bureau that approves allowance batches).
    # It sees nothing of the registry: its pages come with the allowances (titles app).
    FINANCE = "finance", _("Finance")


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"
    IMPORT = "import"
    REVEAL = "reveal"  # see personal data (ID number, phone) unmasked
