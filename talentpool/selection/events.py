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
    "selection.review.start": _("started a review"),
    "selection.review.save": _("saved a review's scores"),
    "selection.review.submit": _("submitted a review"),
    "selection.review.reopen": _("reopened a submitted review"),
    "selection.expert.declare": _("declared an expert's relation with a worker"),
    "selection.ranking.compute": _("computed the ranking"),
    "selection.ranking.allocate": _("ran the tier allocation"),
    "selection.ranking.adjust": _("adjusted a candidate's tier"),
    "selection.ranking.approve": _("approved the list for the public notice"),
    "selection.ranking.vacate": _("took a nominee off the list"),
    "selection.ranking.promote": _("moved a candidate up onto the list (递补)"),
    "selection.objection.receive": _("received an objection"),
    "selection.objection.investigate": _("started investigating an objection"),
    "selection.objection.resolve": _("resolved an objection"),
    "selection.naming.name": _("named the list: titles conferred"),
}
