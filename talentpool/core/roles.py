"""The six roles of SPEC.md §2 and what each may do, in one place."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Programme admin")
    LEADER = "leader", _("Leadership / partner bureau")
    OPERATOR = "operator", _("Enterprise operator")
    EXPERT = "expert", _("Expert")
    WORKER = "worker", _("Worker")


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"
    IMPORT = "import"
    REVEAL = "reveal"  # see personal data (ID number, phone) unmasked
