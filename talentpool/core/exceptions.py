class ServiceError(Exception):
    """A business rule refused the action; the message (translated) is shown to the user."""


class OutOfScope(ServiceError):
    """The actor may not act on this object: views answer 404."""
