"""Tracer -> agent process: a bounded queue drained by a background thread into the channel.

The request thread only appends to a deque. A daemon thread serializes and sends through the
channel (the agent's Unix socket, or sealed UDP; see channel.py) without ever blocking; a
full queue or a full socket buffer drops the message and counts it.
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


class Sender:
    def __init__(self, on_tick=None, max_queue=1000):
        self.channel = None  # set by tracer.boot: without it every message is dropped
        self.on_tick = on_tick
        self.max_queue = max_queue
        self.dropped = 0
        self.sent = 0
        self._reset()

    def _reset(self):
        self.pid = os.getpid()
        self.inline = not threads_run()
        self.queue = collections.deque()
        self.thread = None
        self.msgid = random.getrandbits(32)
        self.last_drain = time.monotonic()
        self.next_tick = _next_boundary(time.time())
        self.lock = threading.Lock()

    def after_fork(self):
        self.dropped = 0
        self.sent = 0
        self._reset()
        if self.channel is not None:
            self.channel.after_fork()

    def put(self, kind, message):
        if self.pid != os.getpid():
            self.after_fork()
        queue = self.queue
        if len(queue) >= self.max_queue:
            self.dropped += 1
        else:
            queue.append((kind, message))
        if self.inline:
            self.drain()
            self.maybe_tick()
        elif self.thread is None:
            self._start_thread()
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
        while self.thread is me and self.pid == os.getpid():
            time.sleep(POLL)
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
        if not self.lock.acquire(False):
            return
        try:
            self.last_drain = time.monotonic()
            queue = self.queue
            while queue:
                try:
                    kind, message = queue.popleft()
                except IndexError:
                    break
                self._send(kind, message)
        finally:
            self.lock.release()

    def _send(self, kind, message):
        try:
            payload = json.dumps(message, separators=(",", ":"), default=str).encode("utf-8")
        except Exception:
            self.dropped += 1
            return
        if len(payload) > udp_wire.MAX_MESSAGE and kind == udp_wire.KIND_TX:
            payload = _shrink(message)
        self.msgid = (self.msgid + 1) & 0xFFFFFFFF
        datagrams = udp_wire.encode(kind, self.msgid, self.pid, payload)
        if datagrams is None:
            self.dropped += 1
            return
        if self.channel is None or not self.channel.send(datagrams):
            self.dropped += 1
            return
        self.sent += 1


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


def _shrink(message):
    """A transaction too large for the wire keeps its first steps and says so."""
    steps = message.get("steps") or []
    kept = steps[:200]
    kept.append({"kind": "truncated", "start": message.get("elapsed", 0), "elapsed": 0,
                 "text": "%d steps not sent: the transaction was too large" % (len(steps) - 200)})
    small = dict(message, steps=kept)
    return json.dumps(small, separators=(",", ":"), default=str).encode("utf-8")


def _next_boundary(now):
    return (int(now // 5) + 1) * 5.0
