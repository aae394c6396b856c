"""The agent process's end of the tracer link (tracer/channel.py is the other end).

Default: a SOCK_SEQPACKET socket ``$WHATAP_HOME/run/agent.sock`` (0600, in the 0700 run
directory); a peer that is neither our user nor root is refused (SO_PEERCRED). With
``net_udp_port`` in whatap.conf: UDP on 127.0.0.1, where only datagrams sealed with this
home's link key are taken. Either way ``poll()`` returns udp_wire datagrams and counts,
without keeping their content, what it refused.
"""
import os
import selectors
import socket
import struct
import time

from .. import link_seal, rundir

MAX_CONNECTIONS = 1024
READS_PER_WAKEUP = 64


def open_receiver(home, conf, notes):
    """The receiver for this home's configuration; raises OSError with a plain message."""
    run_fd = rundir.prepare_for_agent(home.path, notes)
    try:
        if "net_udp_port" in conf.explicit:
            if link_seal.CRYPTO_ERROR:
                raise OSError(0, "net_udp_port is set, and sealing its datagrams needs the cryptography package "
                                 "(%s): install python3-cryptography, or remove net_udp_port to use the Unix "
                                 "socket" % link_seal.CRYPTO_ERROR)
            key = rundir.agent_key(run_fd, home.path, notes)
            return UdpReceiver(bind_udp(conf["net_udp_port"], home.conf), link_seal.Opener(key))
        return UnixReceiver(_listen_unix(run_fd, home.path), os.path.join(home.path, rundir.RUN_DIR,
                                                                          rundir.SOCKET_NAME))
    finally:
        os.close(run_fd)


def _listen_unix(run_fd, home_path):
    try:
        os.unlink(rundir.SOCKET_NAME, dir_fd=run_fd)  # a previous agent's socket (never followed)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    old = os.umask(0o177)  # the socket file is born 0600 (chmod cannot reach it safely afterwards)
    try:
        sock.bind(rundir.socket_address(run_fd, home_path))
    except OSError:
        sock.close()
        raise
    finally:
        os.umask(old)
    sock.listen(128)
    sock.setblocking(False)
    return sock


def bind_udp(port, conf_path):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as e:
        sock.close()
        raise OSError(e.errno, "cannot listen on UDP 127.0.0.1:%d (net_udp_port in %s): %s. Another program "
                      "or another WHATAP_HOME's agent uses it; set net_udp_port to a free port, or remove it "
                      "to use the agent's Unix socket" % (port, conf_path, e.strerror or e))
    try:  # room for bursts; the kernel caps it at net.core.rmem_max
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        if sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) < (4 << 20) and hasattr(socket, "SO_RCVBUFFORCE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, 4 << 20)  # allowed for root only
    except OSError:
        pass
    sock.setblocking(False)
    return sock


class _Receiver:
    def __init__(self, sock):
        self.sock = sock
        self.selector = selectors.DefaultSelector()
        self.selector.register(sock, selectors.EVENT_READ)
        self.refused = 0  # peers or datagrams refused since the last take_refused()

    def take_refused(self):
        n, self.refused = self.refused, 0
        return n

    def close(self):
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


class UnixReceiver(_Receiver):
    def __init__(self, sock, path):
        super().__init__(sock)
        self.where = "unix:" + path
        self.description = "Unix socket %s" % path
        self.peers = 0

    def poll(self, timeout):
        out = []
        for key, _ in self.selector.select(timeout):
            if key.fileobj is self.sock:
                self._accept()
            else:
                self._read(key.fileobj, out)
        return out

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return  # EMFILE and the like: the peer retries later
            uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
            if uid not in (os.geteuid(), 0) or self.peers >= MAX_CONNECTIONS:
                self.refused += 1
                conn.close()
                continue
            conn.setblocking(False)
            self.selector.register(conn, selectors.EVENT_READ)
            self.peers += 1

    def _read(self, conn, out):
        for _ in range(READS_PER_WAKEUP):
            try:
                data = conn.recv(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""
            if not data:  # the tracer's process ended (or forked children closed their copy)
                self.selector.unregister(conn)
                conn.close()
                self.peers -= 1
                return
            out.append(data)


class UdpReceiver(_Receiver):
    def __init__(self, sock, opener):
        super().__init__(sock)
        self.opener = opener
        self.port = sock.getsockname()[1]
        self.where = "udp:127.0.0.1:%d" % self.port
        self.description = "UDP 127.0.0.1:%d (net_udp_port; datagrams sealed with run/link.key)" % self.port
        self.last_expire = time.monotonic()

    def poll(self, timeout):
        out = []
        if not self.selector.select(timeout):
            return out
        opener = self.opener
        for _ in range(READS_PER_WAKEUP * 4):
            try:
                data = self.sock.recv(65535)
            except (BlockingIOError, InterruptedError):
                break
            opened = opener.open(data)
            if opened is not None:
                out.append(opened)
        now = time.monotonic()
        if now - self.last_expire >= 5.0:
            self.last_expire = now
            opener.expire()
        self.refused += opener.rejected
        opener.rejected = 0
        return out
