"""Log output never carries an ID number or a mobile number (rules.redaction masks them).

``RedactPersonalNumbers`` is a logging filter on every handler in settings.LOGGING: it masks the
formatted message (django.request's "Not Found: /path", runserver's request lines), the
traceback and the stack. ``RedactingGunicornLogger`` does the same for gunicorn's access log
(``--logger-class talentpool.core.logging.RedactingGunicornLogger``, scripts/demo and
docs/deploy.md): every atom the access-log format reads — request line, path, query string,
referer, headers — is masked, and its error log gets the filter too.

The application refuses such URLs (core.middleware.PersonalNumberInUrlMiddleware), but a request
is logged whatever the answer, so the logs must mask them all the same.
"""

from __future__ import annotations

import logging
from typing import Any

from talentpool.rules.redaction import redact

_FORMATTER = logging.Formatter()


class RedactPersonalNumbers(logging.Filter):
    """Mask personal numbers in a record before any handler formats it (the record is changed in
    place, so a later handler sees the masked record too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: the handler reports it, never with the arguments
            record.msg, record.args = redact(str(record.msg)), ()
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _gunicorn_logger() -> type:
    from gunicorn.glogging import Logger, SafeAtoms

    class RedactedAtoms(SafeAtoms):  # type: ignore[misc]
        """gunicorn's access-log atoms, each masked when the format reads it (only those it reads)."""

        def __getitem__(self, key: str) -> Any:
            value = super().__getitem__(key)
            return redact(value) if isinstance(value, str) else value

    class RedactingGunicornLogger(Logger):  # type: ignore[misc]
        """gunicorn's logger with personal numbers masked in the access and error logs."""

        atoms_wrapper_class = RedactedAtoms

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    if not any(isinstance(f, RedactPersonalNumbers) for f in handler.filters):
                        handler.addFilter(RedactPersonalNumbers())

    for cls in (RedactedAtoms, RedactingGunicornLogger):
        cls.__module__, cls.__qualname__ = __name__, cls.__name__
    return RedactingGunicornLogger


def __getattr__(name: str) -> Any:
    # gunicorn is imported only in gunicorn's own process (--logger-class): Django's start-up, the
    # tests and manage.py read the filter above without paying for that import
    if name == "RedactingGunicornLogger":
        cls = globals()[name] = _gunicorn_logger()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
