"""Tracer -> agent process: a bounded queue drained by a background thread into the channel.

The request thread only appends a transaction's row (udp_wire.ROW_FIELDS) to a deque: no
serialization, no system call. A daemon thread wakes every POLL, or as soon as WAKE messages
wait, serializes the waiting transactions together (one JSON array of rows per message,
udp_wire.KIND_TX_ROWS, at most one datagram's worth) and sends them through the channel (the
agent's Unix socket, or sealed UDP; see channel.py) without ever blocking. When the agent's
socket buffer is full the message is kept and sent first on the next wakeup while new ones wait
in the queue; transactions are dropped, and counted, only when the queue is full (max_queue) or
the agent cannot be reached.
After a fork (gunicorn and uWSGI workers) the queue, socket and thread are re-created. Where
threads cannot run (uWSGI without --enable-threads) the request thread drains the queue
itself once it notices the background thread has not done so for a while.
"""
import collections
import json
import os
import random
import threading
import time

from .. import udp_wire

POLL = 0.05
STALL = 1.0
WAKE = 200         # messages waiting that wake the thread before POLL is over
MAX_QUEUE = 5000   # one second of a worker flat out at 5,000 requests/s
_STEPS = udp_wire.ROW_FIELDS.index("steps")
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str, check_circular=False)


class Sender:
    def __init__(self, on_tick=None, max_queue=MAX_QUEUE):
        self.channel = None  # set by tracer.boot: without it every message is dropped
        self.on_tick = on_tick
        self.max_queue = max_queue
        self.dropped = 0  # transactions (and counters) not delivered, since the last counter
        self.sent = 0     # transactions (and counters) handed to the agent's socket
        self._reset()

    def _reset(self):
        self.pid = os.getpid()
        self.inline = not threads_run()
        self.rows = collections.deque()   # transactions' rows waiting
        self.queue = collections.deque()  # (kind, message) of anything else: counters
        self.held = collections.deque()  # (datagrams not sent yet, messages in them): the socket was full
        self.thread = None
        self.wake = threading.Event()
        self.msgid = random.getrandbits(32)
        self.last_drain = time.monotonic()
        self.next_tick = _next_boundary(time.time())
        self.lock = threading.Lock()
        self.per_message = 64  # rows that fit one datagram, learnt from the last message

    def after_fork(self):
        self.dropped = 0
        self.sent = 0
        self._reset()
        if self.channel is not None:
            self.channel.after_fork()

    def put(self, kind, message):
        """Queues a message (a transaction's row for KIND_TX_ROWS); a few hundred nanoseconds. A
        forked child is noticed by the tracer (os.register_at_fork, or Tracer.begin) first."""
        queue = self.rows if kind == udp_wire.KIND_TX_ROWS else self.queue
        if len(queue) >= self.max_queue:
            self.dropped += 1
        else:
            queue.append(message if queue is self.rows else (kind, message))
        if self.inline:
            self.drain()
            self.maybe_tick()
        elif self.thread is None:
            self._start_thread()
        elif len(queue) >= WAKE and not self.wake.is_set():
            self.wake.set()
        elif time.monotonic() - self.last_drain > STALL:
            self.drain()  # the background thread is not running here: do its work inline
            self.maybe_tick()

    def _start_thread(self):
        self.thread = threading.Thread(target=self._run, name="whatap-sender", daemon=True)
        try:
            self.thread.start()
        except RuntimeError:  # interpreter shutting down
            pass

    def _run(self):
        me = self.thread
        wake = self.wake
        while self.thread is me and self.pid == os.getpid():
            wake.wait(POLL)
            wake.clear()
            try:
                self.drain()
                self.maybe_tick()
            except Exception:
                pass

    def maybe_tick(self):
        now = time.time()
        if now >= self.next_tick and self.on_tick is not None:
            boundary = self.next_tick
            self.next_tick = _next_boundary(now)
            self.on_tick(boundary)
            self.drain()

    def drain(self):
        """Sends what waits (counters first, then rows, oldest first) until nothing waits or the
        socket is full. Only the lock's holder takes from the queues."""
        if not self.lock.acquire(False):
            return
        try:
            self.last_drain = time.monotonic()
            queue, rows = self.queue, self.rows
            while self._send_held() and (queue or rows):
                if queue:
                    self._send_one(*queue.popleft())
                    continue
                take = rows.popleft
                self._send_rows([take() for _ in range(min(len(rows), self.per_message))])
        finally:
            self.lock.release()

    def _send_one(self, kind, message):
        try:
            payload = _ENCODER.encode(message).encode("utf-8")
        except Exception:
            self.dropped += 1
            return
        self._ship(kind, payload, 1)

    def _send_rows(self, rows):
        """Rows as messages of at most one datagram each (a larger single row is chunked)."""
        try:
            payload = _ENCODER.encode(rows).encode("utf-8")
        except Exception:  # one row that cannot be serialized must not take the others with it
            if len(rows) == 1:
                self.dropped += 1
                return
            for row in rows:
                self._send_rows([row])
            return
        self.per_message = max(1, min(1000, len(rows) * (udp_wire.CHUNK_BYTES * 9 // 10) // len(payload)))
        if len(payload) > udp_wire.CHUNK_BYTES and len(rows) > 1:
            per = self.per_message
            for i in range(0, len(rows), per):
                self._send_rows(rows[i:i + per])
            return
        if len(payload) > udp_wire.MAX_MESSAGE:
            payload = _shrink(rows[0])
        self._ship(udp_wire.KIND_TX_ROWS, payload, len(rows))

    def _ship(self, kind, payload, count):
        self.msgid = (self.msgid + 1) & 0xFFFFFFFF
        datagrams = udp_wire.encode(kind, self.msgid, self.pid, payload)
        if datagrams is None:
            self.dropped += count
            return
        self.held.append((datagrams, count))
        self._send_held()

    def _send_held(self):
        """Sends the kept messages in order; False while the agent's socket is full."""
        held = self.held
        channel = self.channel
        while held:
            datagrams, count = held[0]
            done = channel.send(datagrams) if channel is not None else 0
            if done < len(datagrams) and channel is not None and channel.busy:
                held[0] = (datagrams[done:], count)  # the same message, from its first unsent chunk
                return False
            held.popleft()
            if done < len(datagrams):
                self.dropped += count
            else:
                self.sent += count
        return True


def threads_run():
    """False under uWSGI without --enable-threads (or threads): background threads starve there."""
    try:
        import uwsgi
    except ImportError:
        return True
    opt = getattr(uwsgi, "opt", None) or {}
    for name in ("enable-threads", "threads"):
        value = opt.get(name)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else None
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if value is True or (isinstance(value, str) and value.strip().lower() not in ("", "0", "false", "no", "off")):
            return True
    return False


def _shrink(row):
    """A transaction too large for the wire keeps its first steps and says so."""
    steps = row[_STEPS] or []
    kept = steps[:200]
    kept.append({"kind": "truncated", "start": row[udp_wire.ROW_FIELDS.index("elapsed")] / 1000.0, "elapsed": 0,
                 "text": "%d steps not sent: the transaction was too large" % (len(steps) - 200)})
    small = list(row)
    small[_STEPS] = kept
    return _ENCODER.encode([small]).encode("utf-8")


def _next_boundary(now):
    return (int(now // 5) + 1) * 5.0
