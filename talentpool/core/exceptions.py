from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A business rule refused the action; the message (translated) is shown to the user.

    ``link``, when set, is ``(url, label)`` of a page the refusal points to that the actor may
    open (the record a duplicate would have doubled): the form page shows it beside the message."""

    link: tuple[str, str] | None = None


class OutOfScope(ServiceError):
    """The actor may not act on this object: views answer 404."""


class EditConflict(ServiceError):
    """The record was saved by someone else after the editor read it (``expected_version``);
    ``current`` is the record as it is now saved. Nothing was changed."""

    def __init__(self, current: object) -> None:
        super().__init__(
            _(
                "Someone else saved changes to this record after you opened it, so nothing was saved. "
                "Compare your values with the saved ones below, then save again to keep yours."
            )
        )
        self.current = current
