"""WSGI entry point used by gunicorn (``samskap serve``).

``samskap serve`` runs gunicorn with ``--preload`` and ``SAMSKAP_WARM_UP=1``: this module is
then imported once in the master, which also imports every view, the chart and PDF modules and
the translations before the workers are forked, so no user waits for them.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
application = get_wsgi_application()

if os.environ.get("SAMSKAP_WARM_UP") == "1":
    from samskap.core.startup import warm_up

    warm_up()
