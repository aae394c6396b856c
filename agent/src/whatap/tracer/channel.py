"""Where a tracer's datagrams go: the agent's Unix socket, or sealed UDP with ``net_udp_port``.

Default: a SOCK_SEQPACKET connection to ``$WHATAP_HOME/run/agent.sock``. The run directory
is checked (ours or root's, mode 0700) and the agent at the other end must run as our user
or root (SO_PEERCRED), so parameters are only ever handed to this home's agent. SEQPACKET
rather than datagrams: a Unix datagram socket queues only ``net.unix.max_dgram_qlen`` (often
10) messages and would drop bursts; here the sender's 4 MiB buffer absorbs them.

``net_udp_port`` set in whatap.conf: UDP to 127.0.0.1, every datagram sealed (link_seal)
with the key the agent keeps in ``run/link.key``; the key is read when the tracer starts, so
workers that switch to another user after the fork keep it.

Nothing here blocks or raises: ``send`` says how many of a message's datagrams went, and
``busy`` whether the rest can be tried again (the agent's socket buffer is full) or must be
dropped by the caller, who counts it.
Each kind of problem is written to the boot log once per process.
"""
import errno
import os
import socket
import struct
import time

from .. import rundir

RETRY = 1.0
KEY_CHECK = 5.0
SNDBUF = 4 << 20
NOT_RUNNING = (errno.ENOENT, errno.ECONNREFUSED)  # no socket yet, or a stale one: not worth a log line


class Channel:
    def __init__(self, home, conf_of, log):
        self.home = home
        self.conf_of = conf_of  # the tracer's current Config (whatap.conf is re-read)
        self.log = log
        self.reported = set()
        self.conf = None
        self.udp_port = None
        self.sock = None
        self.busy = False
        self.next_try = 0.0
        self.sealer = None
        self.key_id = None
        self.next_key_check = 0.0
        self._choose()

    def describe(self):
        if self.udp_port:
            return "UDP 127.0.0.1:%d, sealed with %s" % (self.udp_port, self._key_path())
        return "the agent's Unix socket %s" % os.path.join(self.home.path, rundir.RUN_DIR, rundir.SOCKET_NAME)

    def after_fork(self):
        self._close()
        self.next_try = 0.0

    def _choose(self):
        conf = self.conf = self.conf_of()
        port = conf["net_udp_port"] if "net_udp_port" in conf.explicit else None
        if port != self.udp_port:
            self._close()
            self.udp_port = port
            self.next_try = 0.0
        if port and self.sealer is None:
            self._load_key(time.monotonic())

    def send(self, datagrams):
        """Sends one message's datagrams in order; returns how many went. Fewer than all: ``busy``
        says the agent is not keeping up (try the rest later), else it cannot be reached."""
        self.busy = False
        if self.conf_of() is not self.conf:
            self._choose()
        if self.udp_port:
            return self._send_udp(datagrams)
        return self._send_unix(datagrams)

    # -- the Unix socket ---------------------------------------------------------------------
    def _send_unix(self, datagrams):
        sock = self.sock or self._connect()
        if sock is None:
            return 0
        for i, datagram in enumerate(datagrams):
            try:
                sock.send(datagram)
            except (BlockingIOError, InterruptedError):
                self.busy = True  # the agent is not keeping up; never wait for it
                return i
            except OSError:
                self._close()  # the agent went away: reconnect for the next message
                return i
        return len(datagrams)

    def _connect(self):
        now = time.monotonic()
        if now < self.next_try:
            return None
        sock = dir_fd = None
        try:
            dir_fd = rundir.open_for_tracer(self.home.path)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            sock.connect(rundir.socket_address(dir_fd, self.home.path))
            uid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
            if uid not in (os.geteuid(), 0):
                why = "the process behind %s runs as uid %d, not as this process's user (uid %d) or root"
                raise rundir.RunDirError(errno.EPERM, why % (self.describe(), uid, os.geteuid()))
            sock.setblocking(False)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SNDBUF)
            except OSError:
                pass
        except OSError as e:
            if sock is not None:
                sock.close()
            if e.errno not in NOT_RUNNING:  # the agent not started yet is retried at once, the rest later
                self.next_try = now + RETRY
            self._report(e)
            return None
        finally:
            if dir_fd is not None:
                os.close(dir_fd)
        self.sock = sock
        return sock

    # -- sealed UDP --------------------------------------------------------------------------
    def _send_udp(self, datagrams):
        now = time.monotonic()
        if self.sealer is None or now >= self.next_key_check:
            self._load_key(now)
        if self.sealer is None:
            return 0
        if self.sock is None:
            try:
                self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                self.sock.setblocking(False)
            except OSError:
                return 0
        address = ("127.0.0.1", self.udp_port)
        for i, datagram in enumerate(datagrams):
            try:
                self.sock.sendto(self.sealer.seal(datagram), address)
            except (BlockingIOError, InterruptedError):
                self.busy = True  # our send buffer is full: try the rest later, never wait
                return i
            except OSError:
                return i  # ECONNREFUSED / ENOBUFS: nobody there, or no memory for it now
            if i % 3 == 2:
                time.sleep(0.0005)  # UDP has no back-pressure: pace long messages for the agent's buffer
        return len(datagrams)

    def _load_key(self, now):
        """(Re)reads run/link.key when it changed; keeps the key it has when it cannot look."""
        self.next_key_check = now + (KEY_CHECK if self.sealer is not None else RETRY)
        from .. import link_seal
        if link_seal.CRYPTO_ERROR:
            self._report(OSError(0, "net_udp_port is set but the cryptography package is not available to this "
                                    "Python (%s): nothing is sent to the agent; install python3-cryptography or "
                                    "remove net_udp_port to use the agent's Unix socket" % link_seal.CRYPTO_ERROR))
            return
        dir_fd = None
        try:
            dir_fd = rundir.open_for_tracer(self.home.path)
            if self.sealer is not None and rundir.key_identity(dir_fd) == self.key_id:
                return
            key, self.key_id = rundir.read_key(dir_fd, self.home.path)
            self.sealer = link_seal.Sealer(key)
            self.next_key_check = now + KEY_CHECK
        except OSError as e:
            if self.sealer is None:
                self._report(e)
        finally:
            if dir_fd is not None:
                os.close(dir_fd)

    def _key_path(self):
        return os.path.join(self.home.path, rundir.RUN_DIR, rundir.KEY_NAME)

    # -- helpers -----------------------------------------------------------------------------
    def _close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    def _report(self, e):
        """One boot-log line per kind of problem and process (the agent may simply not run yet)."""
        key = (os.getpid(), getattr(e, "errno", None), type(e).__name__)
        if key in self.reported or getattr(e, "errno", None) in NOT_RUNNING:
            return
        self.reported.add(key)
        try:
            self.log.boot("cannot send to the agent process through %s: %s%s"
                          % (self.describe(), e.strerror or e, _hint(e)))
        except Exception:
            pass


def _hint(e):
    if getattr(e, "errno", None) == errno.EACCES:
        return (" (this process runs as uid %d: the app and the agent process must run as the same user; "
                "servers whose workers switch user can use net_udp_port, see docs/agent.md)" % os.geteuid())
    return ""
