#!/bin/sh
# Migrate, then hand the process over to gunicorn (so it gets SIGTERM directly).
set -eu
flask --app service.app db upgrade
exec gunicorn --config gunicorn.conf.py 'service.app:create_app()'
