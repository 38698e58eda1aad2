"""The titles app's audit events (dotted ``titles.subject.verb`` names, core.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TITLE_CONFER = "titles.title.confer"
TITLE_SUPERSEDE = "titles.title.supersede"
TITLE_SUSPEND = "titles.title.suspend"
TITLE_REINSTATE = "titles.title.reinstate"
TITLE_REVOKE = "titles.title.revoke"
TITLE_RETIRE = "titles.title.retire"
TIER_ALLOWANCE_SET = "titles.allowance.set"

EVENTS: dict[str, object] = {
    TITLE_CONFER: _("conferred a title"),
    TITLE_SUPERSEDE: _("superseded a title by a higher one"),
    TITLE_SUSPEND: _("suspended a title"),
    TITLE_REINSTATE: _("reinstated a title"),
    TITLE_REVOKE: _("revoked a title"),
    TITLE_RETIRE: _("ended a title at retirement"),
    TIER_ALLOWANCE_SET: _("set a tier's annual allowance"),
}
