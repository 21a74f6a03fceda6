# Stanceline API image: runtime dependencies pinned by requirements.txt, run as a non-root user.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    STANCELINE_BIND=0.0.0.0:8000
RUN useradd --create-home --uid 10001 stanceline
WORKDIR /app
COPY requirements.txt ./
RUN pip install --requirement requirements.txt
COPY alembic.ini gunicorn.conf.py ./
COPY migrations ./migrations
COPY service ./service
COPY docker/entrypoint.sh /entrypoint.sh
USER stanceline
EXPOSE 8000
ENTRYPOINT ["/entrypoint.sh"]
