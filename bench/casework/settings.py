"""Settings of the server bench/casework_bench measures: the app's, plus the anchor page.

gunicorn is started with ``DJANGO_SETTINGS_MODULE=bench.casework.settings``;
nothing here is part of the app (see ``bench/casework/urls.py``).
"""

from config.settings import *  # noqa: F403 -- the app's settings, unchanged

ROOT_URLCONF = "bench.casework.urls"
