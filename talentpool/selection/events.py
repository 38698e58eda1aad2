"""The selection app's audit events (dotted ``selection.subject.verb`` names, core.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, object] = {
    "selection.campaign.create": _("created a selection campaign"),
    "selection.campaign.stage": _("moved a campaign to its next stage"),
    "selection.nomination.submit": _("submitted a nomination"),
    "selection.nomination.withdraw": _("withdrew a nomination"),
    "selection.attachment.add": _("attached a file to a nomination"),
    "selection.attachment.remove": _("removed a file from a nomination"),
    "selection.attachment.download": _("downloaded a nomination's file"),
    "selection.qualification.run": _("ran the qualification review"),
    "selection.qualification.override": _("overrode a qualification result"),
    "selection.assignment.propose": _("proposed the reviewers' assignment"),
    "selection.assignment.confirm": _("confirmed the reviewers' assignment"),
    "selection.assignment.change": _("changed an expert in the proposed assignment"),
    "selection.assignment.decline": _("declined an assignment"),
}
