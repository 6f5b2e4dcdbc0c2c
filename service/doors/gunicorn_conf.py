"""gunicorn settings, all from the environment so a container sets them without rebuilding."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8080")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A worker that takes longer than this is killed; CLEAN_TIMEOUT_S answers well before it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("KEEPALIVE", "5"))
# Recycle workers now and then so slow leaks in libraries can't grow without bound.
max_requests = int(os.environ.get("MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("MAX_REQUESTS_JITTER", "500"))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
limit_request_line = 8190
limit_request_fields = 100
proc_name = "news-cleaner"
# Several servers may run on one host (tests, sidecars): no shared control socket.
control_socket_disable = True


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """Drop a dead worker's live gauges from the multiprocess metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_starting(server):  # noqa: ARG001 - gunicorn's hook signature
    """Load the rules in the master: every worker forks with them, so one started by a reload
    whose edited file is broken still has the last good rules to serve with."""
    from service.rules import current_rules

    current_rules()


def on_reload(server):  # noqa: ARG001 - gunicorn's hook signature
    """SIGHUP: read changed rule files in the master before the new workers fork; a broken
    file is logged and the previous rules stay in use (see service.rules.current_rules)."""
    from service.rules import current_rules

    current_rules()
