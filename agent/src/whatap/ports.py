"""One UDP port per ``$WHATAP_HOME`` on a host, like WhaTap's lock file.

When ``net_udp_port`` is not set in whatap.conf, the agent process takes the first free port
from 6600 that no other home has claimed, records ``port -> home`` in a registry shared by
the host (under a file lock), and writes ``net_udp_port`` back into whatap.conf so the
tracers of that home send there.
"""
import errno
import fcntl
import json
import os
import socket
import tempfile

from . import conf as confmod

FIRST_PORT = 6600
SEARCH = 500


def registry_dir():
    return os.environ.get("WHATAP_PORT_REGISTRY") or os.path.join(tempfile.gettempdir(), "whatap-python")


def bind_udp(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    try:  # room for bursts; the kernel caps it at net.core.rmem_max
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        if sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) < (4 << 20) and hasattr(socket, "SO_RCVBUFFORCE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, 4 << 20)  # allowed for root only
    except OSError:
        pass
    return sock


class _Registry:
    def __init__(self):
        self.dir = registry_dir()
        self.lock_fd = None
        self.entries = {}

    def __enter__(self):
        try:
            os.makedirs(self.dir, exist_ok=True)
            try:
                os.chmod(self.dir, 0o1777)  # shared by the users of this host; sticky like /tmp
            except OSError:
                pass
            self.lock_fd = os.open(os.path.join(self.dir, "udp-ports.lock"), os.O_RDWR | os.O_CREAT, 0o666)
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX)
            with open(os.path.join(self.dir, "udp-ports.json"), "r") as f:
                self.entries = {str(k): v for k, v in json.load(f).items()}
        except (OSError, ValueError):
            pass  # no registry: fall back to probing ports only
        return self

    def save(self):
        if self.lock_fd is None:
            return
        path = os.path.join(self.dir, "udp-ports.json")
        try:
            tmp = path + ".%d" % os.getpid()
            with open(tmp, "w") as f:
                json.dump(self.entries, f, indent=1, sort_keys=True)
            os.chmod(tmp, 0o666)
            os.replace(tmp, path)
        except OSError:
            pass

    def __exit__(self, *exc):
        if self.lock_fd is not None:
            os.close(self.lock_fd)


def claim(home, conf):
    """Binds this home's UDP socket. Returns ``(socket, port, note)``; raises OSError with a plain message."""
    explicit = "net_udp_port" in conf.explicit
    with _Registry() as reg:
        # Forget homes that no longer exist.
        for port, owner in list(reg.entries.items()):
            if owner != home.path and not os.path.isfile(os.path.join(owner, "whatap.conf")):
                del reg.entries[port]
        if explicit:
            port = conf["net_udp_port"]
            try:
                sock = bind_udp(port)
            except OSError as e:
                raise OSError(e.errno, "cannot listen on UDP 127.0.0.1:%d (net_udp_port in %s): %s. Another "
                              "program or another WHATAP_HOME's agent uses it; set net_udp_port to a free port"
                              % (port, home.conf, e.strerror or e))
            owner = reg.entries.get(str(port))
            reg.entries[str(port)] = home.path
            reg.save()
            note = None
            if owner and owner != home.path:
                note = "UDP port %d was recorded for %s; it is now used by this WHATAP_HOME" % (port, owner)
            return sock, port, note
        mine = [int(p) for p, owner in reg.entries.items() if owner == home.path]
        candidates = mine + [p for p in range(FIRST_PORT, FIRST_PORT + SEARCH) if p not in mine]
        for port in candidates:
            owner = reg.entries.get(str(port))
            if owner and owner != home.path:
                continue
            try:
                sock = bind_udp(port)
            except OSError as e:
                if e.errno in (errno.EADDRINUSE, errno.EACCES):
                    continue
                raise
            reg.entries[str(port)] = home.path
            reg.save()
            try:
                confmod.upsert(home.conf, {"net_udp_port": str(port)})
            except OSError as e:
                sock.close()
                raise OSError(e.errno, "cannot write net_udp_port=%d to %s: %s" % (port, home.conf, e.strerror or e))
            return sock, port, "UDP port %d allocated for this WHATAP_HOME (written to whatap.conf as net_udp_port)" % port
    raise OSError(errno.EADDRINUSE, "no free UDP port between %d and %d" % (FIRST_PORT, FIRST_PORT + SEARCH - 1))
