"""WSGI entry point (gunicorn talentpool.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
application = get_wsgi_application()
