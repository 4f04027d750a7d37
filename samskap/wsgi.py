"""WSGI entry point used by gunicorn (``samskap serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
application = get_wsgi_application()
