"""The service under test (`python -m service serve`), and what /proc and the kernel say
about it."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .common import (
    HOST,
    ROOT,
)


def proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state, ppid, ...), None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def children(ppid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = proc_stat(int(entry))
            if fields and int(fields[1]) == ppid:
                pids.append(int(entry))
    return sorted(pids)


def rss_kib(pid: int) -> int:
    """Resident set size in KiB; 0 for a process that is gone (a died worker is flagged apart)."""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: Server) -> tuple[float, float, float]:
    """CPU seconds so far: (the whole machine busy, the server's processes, this script and
    its finished children, i.e. wrk), to split a phase's CPU between who used it."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    served = 0
    for pid in [server.proc.pid, *server.worker_pids()]:
        stat = proc_stat(pid)
        served += int(stat[11]) + int(stat[12]) if stat else 0  # utime, stime
    own = os.times()
    return (
        busy / TICKS,
        served / TICKS,
        own.user + own.system + own.children_user + own.children_system,
    )


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    with suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
    return inodes


@dataclass(frozen=True)
class Conn:
    """A server-side TCP connection: the client's port and the socket's inode (0 while it
    waits in the listener's accept queue; a worker's file once accepted)."""

    client_port: int
    inode: int


# From <linux/netlink.h>, <linux/sock_diag.h>, <linux/inet_diag.h> and the TCP states.
_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY, _NLMSG_DONE, _NLMSG_ERROR = 20, 3, 2
_TCP_ESTABLISHED, _TCP_CLOSE_WAIT = 1, 8


_NLM_F_REQUEST_DUMP = 0x301  # NLM_F_REQUEST | NLM_F_DUMP


_NLMSG_HEADER = 16  # struct nlmsghdr


_DIAG_PORTS = _NLMSG_HEADER + 4  # inet_diag_msg: 4 one-byte fields, then sport, dport


_DIAG_INODE = _NLMSG_HEADER + 68  # ... then the 48-byte sockid and 5 u32s: inode is last


def server_connections(port: int) -> list[Conn]:
    """Established connections to 127.0.0.1:`port`, from the kernel's sock_diag.

    Netlink rather than /proc/net/tcp: the kernel filters by state, so the TIME_WAIT
    sockets a load run leaves by the ten thousand cost nothing, and a dump takes ~1 ms."""
    states = (1 << _TCP_ESTABLISHED) | (1 << _TCP_CLOSE_WAIT)
    # struct inet_diag_req_v2: family, protocol, ext, pad, states, then a zeroed sockid.
    request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, states)
    request += bytes(48)
    size = _NLMSG_HEADER + len(request)
    header = struct.pack("=IHHII", size, _SOCK_DIAG_BY_FAMILY, _NLM_F_REQUEST_DUMP, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG) as nl:
        nl.sendto(header + request, (0, 0))
        return [Conn(client, inode) for local, client, inode in _diag_messages(nl) if local == port]


def _diag_messages(nl: socket.socket) -> Iterator[tuple[int, int, int]]:
    """(local port, remote port, inode) per inet_diag_msg until NLMSG_DONE."""
    while True:
        data = nl.recv(1 << 16)
        offset = 0
        while offset < len(data):
            length, kind = struct.unpack_from("=IH", data, offset)
            if kind == _NLMSG_DONE:
                return
            if kind == _NLMSG_ERROR:
                raise OSError("sock_diag answered with an error")
            local, remote = struct.unpack_from("!HH", data, offset + _DIAG_PORTS)
            (inode,) = struct.unpack_from("=I", data, offset + _DIAG_INODE)
            yield local, remote, inode
            offset += (length + 3) & ~3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """`python -m service serve` (the Dockerfile's command) on a free loopback port.

    `serve` execs gunicorn, so the Popen pid is the master's. The log goes to a file so a
    long run never blocks on a full pipe."""

    def __init__(self, workers: int, log: Path, env: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._seen: dict[int, str] = {}  # worker pid -> start time: kill only those, at the end
        environment = {**os.environ, "WEB_CONCURRENCY": str(workers), **(env or {})}
        # Each server makes its own metrics dir; an API token would turn every request into 401.
        for name in ("PROMETHEUS_MULTIPROC_DIR", "CLEANER_API_TOKEN"):
            environment.pop(name, None)
        command = [sys.executable, "-m", "service", "serve", "--host", HOST]
        command += ["--port", str(self.port)]
        with open(log, "ab") as log_file:
            # A session of its own: Ctrl-C reaches this script only, which then stops the server.
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        pids = children(self.proc.pid)
        for pid in pids:
            fields = proc_stat(pid)
            if fields:
                self._seen.setdefault(pid, fields[19])
        return pids

    def _wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.tail()}")
            if len(self.worker_pids()) == self.workers and self._healthy():
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server was not ready within {seconds:g} s:\n{self.tail()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; then any worker of ours that outlived its master."""
        if self.proc.poll() is None:
            self.worker_pids()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for pid, started in self._seen.items():
            fields = proc_stat(pid)
            if fields and fields[19] == started:  # the same process, not a reused pid
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@contextmanager
def serving(workers: int, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(workers, log, env)
    try:
        yield server
    finally:
        server.stop()
