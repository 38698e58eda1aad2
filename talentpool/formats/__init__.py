"""One date format on every page, in either language: ``2026-03-07`` and ``2026-03-07 14:05``
(settings.FORMAT_MODULE_PATH). Django's own locale formats would print 2026年3月7日 where a
template or table gives no format, beside the YYYY-MM-DD of every other date."""
