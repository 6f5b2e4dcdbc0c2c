"""gunicorn settings, from the service's Settings (the environment, read once), so a
container sets them without rebuilding."""

from service.settings import get_settings

_settings = get_settings()
bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
worker_class = "sync"
# A worker that takes longer than this is killed; CLEAN_TIMEOUT_S answers well before it.
timeout = _settings.gunicorn_timeout
graceful_timeout = _settings.graceful_timeout
keepalive = _settings.keepalive
# Recycle workers now and then so slow leaks in libraries can't grow without bound.
max_requests = _settings.max_requests
max_requests_jitter = _settings.max_requests_jitter
worker_tmp_dir = "/dev/shm" if __import__("os").path.isdir("/dev/shm") else None
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
loglevel = _settings.log_level
limit_request_line = 8190
limit_request_fields = 100
proc_name = "news-cleaner"
# Several servers may run on one host (tests, sidecars): no shared control socket.
control_socket_disable = True


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """Drop a dead worker's live gauges from the multiprocess metrics."""
    if _settings.metrics_dir:
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
