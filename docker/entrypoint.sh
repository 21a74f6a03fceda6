#!/bin/sh
# Migrate, then hand the process over to gunicorn (so it gets SIGTERM directly).
set -eu
# Every process that imports the metrics writes its samples there, the migration included.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then mkdir -p "$PROMETHEUS_MULTIPROC_DIR"; fi
flask --app service.app db upgrade
exec gunicorn --config gunicorn.conf.py 'service.app:create_app()'
