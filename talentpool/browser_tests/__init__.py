"""Browser tests: Playwright driving Debian's /usr/bin/chromium (run with `pytest -m browser`)."""
