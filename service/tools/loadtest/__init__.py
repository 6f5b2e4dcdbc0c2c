"""Load and fault test of the real service: gunicorn with sync workers on 127.0.0.1.

    python -m service loadtest [--duration 60] [--connections 32] [--workers 4]
                               [--dataset DIR] [--smoke] [--json OUT]

Each phase gets a fresh `python -m service serve` on a free loopback port:

- kill: a threaded Python client (one request per connection) keeps --connections requests
  going; one worker that holds a request is frozen (SIGSTOP), the client connections it holds
  are read from the kernel, then it is killed (SIGKILL). Every failed request must be one of
  those connections, and gunicorn must start a replacement that serves.
- term: the same client; SIGTERM to the master. Every request a worker had accepted must be
  answered, within the graceful timeout. Refused connections (listener closed) are fine;
  connections reset while still queued in the kernel's backlog, never accepted by a worker,
  are counted apart. Acceptance is read from the kernel (sock_diag) while the server stops.
- load: after a warm-up, wrk (service/tools/loadtest/loadtest.lua) POSTs seed pages (text/plain) and
  benchmark pages (text/html), alternately, to /v1/clean for --duration seconds; worker RSS
  is read from /proc before and after. Then the same load on GET /healthz is the floor.

The fault phases run first because the load phases leave tens of thousands of TIME_WAIT
sockets behind. Prints a table of figures (JSON with --json) and exits 1 if a criterion
fails (--smoke: a ~15 s run at low concurrency, where memory growth is only reported).
Everything is bounded in count and time, talks to 127.0.0.1 only, and stops its servers on
exit, Ctrl-C or error.
"""

from .main import main

__all__ = ["main"]
