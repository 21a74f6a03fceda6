"""gunicorn settings, from the environment. The app (and its database pool) is made in each
worker after the fork, since the app is not preloaded."""

import os

bind = os.environ.get("STANCELINE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("STANCELINE_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("STANCELINE_GRACEFUL_TIMEOUT", "20"))
accesslog = "-"
errorlog = "-"
preload_app = False
