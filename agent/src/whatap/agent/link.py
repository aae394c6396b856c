"""The agent process's one TCP session to the collector (docs/protocol.md).

Runs in its own thread: connects (failing over across ``whatap.server.host``), says HELLO,
then sends TX_BATCH / COUNTERS / HEARTBEAT frames and handles ACK / BUSY / REJECT / ERROR.
Batches stay in memory until acknowledged and are resent after a reconnect, within bounds;
a batch read from the outage spool frees its segment when acknowledged (outbox.done). Whatever
has to be dropped is counted by 5 s slot and reported in that slot's counter's ``dropped``.
"""
import collections
import json
import random
import select
import socket
import ssl
import threading
import time

from . import frames
from .outbox import Batch

MAX_INFLIGHT = 8          # unacknowledged batches on the wire
MAX_KEPT = 64             # batches kept for resending (in flight + waiting)
MAX_KEPT_BYTES = 64 << 20
BATCH_BYTES = 1 << 20     # 8 in flight stay under the collector's 16 MiB per connection
BATCH_WAIT = 0.2          # gather transactions this long before sending a small batch
BACKOFF = (1, 2, 4, 8, 16, 30)
PROBE_WITH_DATA = 3.0     # with data waiting, try the collector at least this often
ACK_TIMEOUT = 1.5         # heartbeat intervals without an answer to a sent batch: the link is dead
REFUSED_WAIT = 60.0
LOG_REPEAT = 300.0


class Refused(Exception):
    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code
        self.message = message


class Link(threading.Thread):
    """``settings()`` returns the current Settings (replaced when whatap.conf changes)."""

    def __init__(self, outbox, settings, log):
        threading.Thread.__init__(self, name="whatap-link", daemon=True)
        self.outbox = outbox
        self.settings = settings
        self.log = log
        self.stopping = threading.Event()
        self.seq = 0
        self.inflight = {}
        self.waiting = collections.deque()
        self.host_index = 0
        self.pause_until = 0.0
        self.connected_to = None
        self.acked = 0
        self._logged = {}

    # -- logging without flooding ------------------------------------------------------------
    def _say(self, key, message, repeat=LOG_REPEAT):
        now = time.monotonic()
        last = self._logged.get(key)
        if last is not None and now - last < repeat:
            return
        self._logged[key] = now
        self.log.boot(message)

    # -- main loop ---------------------------------------------------------------------------
    def run(self):
        self._failures = 0
        while not self.stopping.is_set():
            try:
                self._pass()
            except Exception as e:  # a bug or a frame nobody foresaw must not end forwarding
                self._say(("internal", type(e).__name__),
                          "the link to the collector failed (%s: %s); it starts again" % (type(e).__name__, e))
                self._requeue_inflight()
                self._failures += 1
                self.stopping.wait(_backoff(self._failures))

    def _pass(self):
        """One connection: connect, run the session until it ends, then back off if it failed."""
        s = self.settings()
        if not s.license:
            self._say(("nolicense", s.generation),
                      "license is not set in %s: run whatap-setting-config --license <key>; not connecting"
                      % s.conf_path, repeat=1e9)
            self._wait_change(s, 2.0)
            return
        hosts = s.hosts or ["127.0.0.1"]
        host = hosts[self.host_index % len(hosts)]
        try:
            sock, welcome, reader = self._connect(host, s)
        except Refused as e:
            self._refused(host, s, e)
            return
        except (OSError, ValueError, ssl.SSLError) as e:
            self._say(("connect", host, s.port, _reason(e)),
                      "cannot connect to %s:%d: %s" % (host, s.port, _reason(e)))
            self.host_index += 1
            self._failures += 1
            if self._failures % len(hosts) == 0:  # every host failed once: back off
                self._wait_change(s, self._retry_wait(self._failures // len(hosts)))
            return
        self._logged = {k: v for k, v in self._logged.items() if k[0] not in ("connect", "refused")}
        self.connected_to = "%s:%d" % (host, s.port)
        self.log.boot("connected to the collector at %s:%d as %s (agent id %s, project %s)"
                      % (host, s.port, welcome["objectName"] or s.hello.get("objectName"),
                         welcome["agentId"], welcome["pcode"]))
        try:
            self._session(sock, s, welcome, reader)
            self._failures = 0
            if not self.stopping.is_set():
                self.log.boot("reconnecting to the collector: whatap.conf changed")
        except Refused as e:  # after WELCOME: the key was revoked or the project deleted
            self._refused(host, s, e)
        except frames.BadFrame as e:  # a collector that speaks the protocol wrongly: not a hot loop
            self.log.boot("the collector at %s:%d sent a malformed frame (%s); reconnecting" % (host, s.port, e))
            self._failures += 1
            self._wait_change(s, self._retry_wait(self._failures))
        except (OSError, ValueError, ssl.SSLError) as e:
            self._failures = 0
            if not self.stopping.is_set():
                self.log.boot("connection to the collector at %s:%d lost: %s; reconnecting"
                              % (host, s.port, _reason(e)))
                self.host_index += 1 if len(hosts) > 1 else 0
        finally:
            self.connected_to = None
            try:
                sock.close()
            except OSError:
                pass
            self._requeue_inflight()

    def _retry_wait(self, failures):
        """The back-off, but short while transactions wait: back within seconds of the collector."""
        wait = _backoff(failures)
        return min(wait, PROBE_WITH_DATA) if self._work_left() else wait

    def _refused(self, host, s, e):
        self._say(("refused", host, e.code, s.generation),
                  "the collector at %s:%d refused this agent: %s (%s). Check license and "
                  "whatap.server.host in %s" % (host, s.port, e.message, e.code, s.conf_path))
        self._wait_change(s, REFUSED_WAIT)

    def _wait_change(self, s, seconds):
        deadline = time.monotonic() + seconds
        while not self.stopping.is_set() and time.monotonic() < deadline:
            if self.settings().generation != s.generation:
                return
            self.stopping.wait(0.2)

    def _connect(self, host, s):
        sock = socket.create_connection((host, s.port), timeout=5)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if s.tls:
                ctx = ssl.create_default_context(cafile=s.tls_ca or None)
                sock = ctx.wrap_socket(sock, server_hostname=host)
            sock.settimeout(10)
            sock.sendall(frames.frame(frames.HELLO, s.hello))
            reader = frames.FrameReader()
            while True:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("the collector closed the connection during the handshake")
                got = reader.feed(data)
                if got:
                    break
            kind, body = got[0]
            if kind == frames.REFUSE:
                raise Refused(*frames.reason(body))
            if kind == frames.ERROR:
                raise ConnectionError("the collector answered ERROR %s: %s" % frames.reason(body))
            if kind != frames.WELCOME:
                raise ConnectionError("the collector answered frame 0x%02x instead of WELCOME" % kind)
            welcome = frames.welcome(body)
            for extra_kind, extra in got[1:]:
                self._on_frame(extra_kind, extra)
            return sock, welcome, reader
        except BaseException:
            sock.close()
            raise

    def _session(self, sock, s, welcome, reader):
        heartbeat = welcome["heartbeatMs"] / 1000.0
        max_batch = welcome["maxBatch"]
        max_frame = welcome["maxFrame"]
        # A connection whose packets silently vanish never errors: notice it by the missing answers,
        # and let the kernel give up on unacknowledged bytes after the same bound.
        ack_timeout = max(3.0, ACK_TIMEOUT * heartbeat)
        _set_user_timeout(sock, ack_timeout)
        last_send = time.monotonic()
        self.pause_until = 0.0
        while True:
            if self.settings().generation != s.generation:
                return
            stopping = self.stopping.is_set()
            if stopping and not self._work_left():
                return
            readable = (sock.pending() if isinstance(sock, ssl.SSLSocket) else 0) or \
                select.select([sock], [], [], 0.05 if self._work_left() else 0.2)[0]
            if readable:
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("the collector closed the connection")
                for kind, body in reader.feed(data):
                    self._on_frame(kind, body)
            now = time.monotonic()
            while len(self.inflight) < MAX_INFLIGHT and now >= self.pause_until:
                batch = self._next_batch(now, max_batch, max_frame, stopping)
                if batch is None:
                    break
                self.inflight[batch.seq] = batch
                sock.sendall(frames.frame(batch.kind, batch.data))
                batch.sent_at = last_send = now = time.monotonic()
            oldest = min((b.sent_at for b in self.inflight.values()), default=now)
            if now - oldest > ack_timeout:
                raise ConnectionError("no answer to a batch for %.0f s: the connection looks dead" % (now - oldest))
            if now - last_send >= heartbeat / 2:
                sock.sendall(frames.frame(frames.HEARTBEAT, {"time": int(time.time() * 1000)}))
                last_send = now

    def _work_left(self):
        return bool(self.inflight or self.waiting or self.outbox.has_data())

    def _on_frame(self, kind, body):
        if kind == frames.ACK:
            batch = self.inflight.pop(frames.seq(body), None)
            if batch is not None:
                self.acked += 1
                self.outbox.done(batch.token)
        elif kind == frames.BUSY:
            seq, delay = frames.seq(body), frames.retry_after(body)  # both checked before anything changes
            batch = self.inflight.pop(seq, None)
            self.pause_until = time.monotonic() + delay
            if batch is not None:
                batch.not_before = self.pause_until
                self.waiting.appendleft(batch)
                self._bound()
        elif kind == frames.REJECT:
            seq, (code, message) = frames.seq(body), frames.reason(body)
            batch = self.inflight.pop(seq, None)
            if batch is not None:
                self._give_up(batch)
            self._say(("reject", code), "the collector rejected a batch (%s): %s; it is not resent" % (code, message))
        elif kind == frames.REFUSE:
            raise Refused(*frames.reason(body))
        elif kind == frames.ERROR:
            raise ConnectionError("the collector reported an error %s: %s" % frames.reason(body))

    def _next_batch(self, now, max_batch, max_frame, flush):
        for _ in range(len(self.waiting)):
            batch = self.waiting[0]
            if batch.not_before <= now:
                return self.waiting.popleft()
            self.waiting.rotate(-1)
        outbox = self.outbox
        items, token = outbox.take_counters(max_batch)  # each counter carries its own slot's drops
        if items:
            self.seq += 1
            data = json.dumps({"seq": self.seq, "counters": items}, separators=(",", ":")).encode("utf-8")
            return Batch(self.seq, frames.COUNTERS, data, len(items), token, None if token else items)
        if outbox.tx_ready(now, flush, wait=BATCH_WAIT):
            self.seq += 1
            head = b'{"seq":%d,"txs":[' % self.seq
            parts, token = outbox.take_txs(max_batch, min(max_frame - 64, BATCH_BYTES) - len(head) - 2)
            if parts:
                return Batch(self.seq, frames.TX_BATCH, head + b",".join(parts) + b"]}", len(parts), token,
                             None if token else parts)
        return None

    def _give_up(self, batch):
        """A batch that will not be resent: its transactions are dropped now, its counters counted apart."""
        if batch.kind == frames.COUNTERS:
            self.outbox.lost_counters(json.loads(batch.data.decode("utf-8"))["counters"])
        else:
            self.outbox.drop(batch.count)
        self.outbox.done(batch.token)

    def unsent(self):
        """What the batches not acknowledged hold, when built from memory (spooled ones stay on disk)."""
        batches = list(self.waiting) + [self.inflight[s] for s in sorted(self.inflight)]
        return [("ct" if b.kind == frames.COUNTERS else "tx", b.items) for b in batches if b.items]

    def _requeue_inflight(self):
        for seq in sorted(self.inflight):
            batch = self.inflight[seq]
            batch.not_before = 0.0
            self.waiting.append(batch)
        self.inflight = {}
        self._bound()

    def _bound(self):
        kept = sum(len(b.data) for b in self.waiting) + sum(len(b.data) for b in self.inflight.values())
        while self.waiting and (len(self.waiting) + len(self.inflight) > MAX_KEPT or kept > MAX_KEPT_BYTES):
            batch = self.waiting.popleft()
            kept -= len(batch.data)
            self._give_up(batch)

    def stop(self, timeout=2.0):
        self.stopping.set()
        self.join(timeout)


def _set_user_timeout(sock, seconds):
    """Linux: the kernel closes the connection when sent bytes stay unacknowledged this long."""
    option = getattr(socket, "TCP_USER_TIMEOUT", None)
    if option is None:
        return
    try:
        sock.setsockopt(socket.IPPROTO_TCP, option, int(seconds * 1000))
    except OSError:
        pass


def _backoff(failures):
    """Seconds to wait after the n-th failure in a row (1, 2, 4 … 30, with jitter)."""
    return BACKOFF[min(max(failures, 1) - 1, len(BACKOFF) - 1)] * random.uniform(0.8, 1.2)


def _reason(e):
    if isinstance(e, socket.timeout):
        return "timed out"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__
