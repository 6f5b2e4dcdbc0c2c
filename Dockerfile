# The cleaner as a container sidecar: non-root, health-checked, settings from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install . && useradd --system --uid 10001 --no-create-home cleaner
COPY rules ./rules
COPY seeds ./seeds
COPY examples ./examples

# Rules are read from RULES_DIR (mount your own read-only over it); metrics of all workers
# meet in PROMETHEUS_MULTIPROC_DIR, which `serve` empties at start.
ENV RULES_DIR=/app/rules \
    PROMETHEUS_MULTIPROC_DIR=/tmp/cleaner-metrics \
    WEB_CONCURRENCY=2 \
    MAX_BODY_BYTES=5242880 \
    CLEAN_TIMEOUT_S=20 \
    GUNICORN_TIMEOUT=60 \
    GRACEFUL_TIMEOUT=30

USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=3).status != 200)"]

# The same command the test suite starts (tests/conftest.py: SERVE_COMMAND).
CMD ["python", "-m", "service", "serve", "--host", "0.0.0.0", "--port", "8080"]
