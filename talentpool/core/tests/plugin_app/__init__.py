"""A test app that proves the plug-in points: a "noticeboard" declaring its page, its tab, a start
page, an API route, an audit event and a demo step, added to INSTALLED_APPS by the tests only
(core/tests/test_plugin_app.py), with no edit to core or registry. No model, so no migration:
its notices live in the process (``NOTICES``)."""
