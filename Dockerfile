# Stanceline API image. The build stage makes a virtual environment from the pinned
# requirements; the final stage copies only that and the code, and runs as a non-root user.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --requirement /tmp/requirements.txt

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    STANCELINE_ENV=production \
    STANCELINE_BIND=0.0.0.0:8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/stanceline-metrics
RUN useradd --create-home --uid 10001 stanceline
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY alembic.ini gunicorn.conf.py ./
COPY migrations ./migrations
COPY service ./service
COPY docker/entrypoint.sh /entrypoint.sh
USER stanceline
EXPOSE 8000
ENTRYPOINT ["/entrypoint.sh"]
