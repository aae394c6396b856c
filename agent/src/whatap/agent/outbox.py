"""What waits to be sent to the collector: transactions and counters from the tracer link, and the
batches built from them, kept until acknowledged. Everything is bounded; drops are counted by slot.

Two tiers. Memory first: short blips and BUSY bursts never touch the disk. When the memory tier
is full (``net_send_queue_size`` transactions, about 20 s at 500 tx/s) and the spool is on, new
items go to the spool on disk (spool.py) and keep going there until it is read empty, so the order
stays first in, first out. Only beyond the spool's bound is the oldest segment dropped; with the
spool off (or unwritable) new transactions are dropped once memory is full.

Drops are kept per 5 s slot (``slot_of``), the slot of the counter whose window they happened in,
and the link puts them on that slot's counter when it sends it (``attach_drops``).
"""
import collections
import json
import threading
import time

from .spool import SegmentQueue

SLOT_MS = 5000
FILL_NOTE = 1000            # transactions waiting: the boot log says the backlog started
SPOOL_RETRY = 60.0          # seconds before an unwritable spool is tried again
SEGMENT_BYTES = 8 << 20
MAX_DROP_SLOTS = 20000      # slots with unreported drops (a day); older ones are merged


def slot_of(epoch_ms):
    """The 5 s slot of a counter ``time`` (the collector rounds down the same way)."""
    return int(epoch_ms // SLOT_MS) * SLOT_MS


def slot_now(now=None):
    """The slot whose counter covers ``now``: a tracer stamps its counter with the end of the window."""
    return (int((time.time() if now is None else now) // 5) + 1) * SLOT_MS


class _Tier:
    def __init__(self, max_items, max_bytes, size, encode, decode):
        self.memory = collections.deque()
        self.bytes = 0
        self.max_items, self.max_bytes = max_items, max_bytes
        self.size, self.encode, self.decode = size, encode, decode
        self.spool = None

    def waiting(self):
        return len(self.memory) + (self.spool.unread if self.spool is not None else 0)

    def full_with(self, item):
        return len(self.memory) >= self.max_items or self.bytes + self.size(item) > self.max_bytes

    def push(self, item):
        self.memory.append(item)
        self.bytes += self.size(item)

    def pop(self):
        item = self.memory.popleft()
        self.bytes -= self.size(item)
        return item


def _same(data):
    return data


def _counter_json(counter):
    return json.dumps(counter, separators=(",", ":")).encode("utf-8")


def _counter_size(counter):
    return 400


class Outbox:
    """Filled by the receiving thread, emptied by the link; bounded, counting drops."""

    def __init__(self, max_txs=10000, max_counters=2000, max_bytes=64 << 20, log=None):
        self.txs = _Tier(max_txs, max_bytes, len, _same, _same)
        self.counters = _Tier(max_counters, max_counters * 400, _counter_size, _counter_json, json.loads)
        self.lock = threading.RLock()
        self.log = log
        self.first_tx_at = None
        self.drops = collections.OrderedDict()  # slot -> transactions dropped in it, not yet on a counter
        self.dropped_total = 0                   # transactions (and tracer datagrams) dropped
        self.counters_dropped = 0                # counters dropped: not transactions, never in `dropped`
        self.spool_where = None
        self.spool_mb = 0
        self.spool_retry_at = 0.0
        self.episode = None

    # -- the spool -------------------------------------------------------------------------------
    def attach_spool(self, dir_fd, max_bytes, where, notes):
        """Puts the spool (an open, checked directory) behind the memory tier; reads what is left."""
        ct_bytes = max(1 << 20, max_bytes // 16)
        self.txs.spool = SegmentQueue(dir_fd, "tx", max_bytes - ct_bytes, SEGMENT_BYTES, notes)
        self.counters.spool = SegmentQueue(dir_fd, "ct", ct_bytes, SEGMENT_BYTES, notes)
        self.spool_where, self.spool_mb = where, max_bytes >> 20
        left = self.txs.spool.unread
        if left or self.counters.spool.unread:
            notes.append("the spool %s holds %d transactions and %d counters from before this start: they are "
                         "sent first" % (where, left, self.counters.spool.unread))
            self._start_episode(time.monotonic(), "transactions left in the spool by the previous run")

    def _spool(self, tier, item, slot):
        now = time.monotonic()
        if now < self.spool_retry_at:
            return False
        try:
            tier.spool.append(tier.encode(item), slot)
        except OSError as e:
            self.spool_retry_at = now + SPOOL_RETRY
            self._say("cannot write to the spool %s (%s): transactions are kept in memory only (up to %d), "
                      "beyond that new ones are dropped; the spool is tried again in %d s"
                      % (self.spool_where, e.strerror or e, self.txs.max_items, SPOOL_RETRY))
            return False
        ep = self._episode(now, "the memory buffer is full")
        if tier is self.txs:
            ep["spooled"] += 1
            if not ep["spilling"]:
                ep["spilling"] = True
                self._say("the memory buffer is full (%d transactions): writing to the spool %s (up to %d MB)"
                          % (self.txs.max_items, self.spool_where, self.spool_mb))
        for slot, n in tier.spool.take_dropped().items():
            if tier is self.txs:
                self._count_drop(n, slot, "the spool %s is full (%d MB): the oldest transactions are dropped"
                                 % (self.spool_where, self.spool_mb))
            else:
                self.counters_dropped += n
        return True

    # -- filling (receiving thread) --------------------------------------------------------------
    def add_tx(self, data):
        with self.lock:
            tier, slot = self.txs, slot_now()
            if tier.spool is not None and (tier.spool.unread or tier.full_with(data)) and self._spool(tier, data, slot):
                return
            if tier.full_with(data):
                self._count_drop(1, slot, "the memory buffer is full (%d transactions) and the spool is %s: new "
                                 "transactions are dropped" % (tier.max_items, "unusable" if tier.spool else "off"))
                return
            if not tier.memory:
                self.first_tx_at = time.monotonic()
            tier.push(data)
            if self.episode is None and tier.waiting() >= min(FILL_NOTE, tier.max_items):
                self._start_episode(time.monotonic(), "the collector is not taking them yet")
            elif self.episode is not None:
                self.episode["kept"] += 1

    def add_counter(self, counter):
        with self.lock:
            tier = self.counters
            if tier.spool is not None and (tier.spool.unread or tier.full_with(counter)) and \
                    self._spool(tier, counter, slot_of(counter.get("time") or 0)):
                return
            if tier.full_with(counter):
                tier.pop()
                self.counters_dropped += 1
            tier.push(counter)

    # -- drops -----------------------------------------------------------------------------------
    def drop(self, n, slot=None):
        """``n`` transactions (or tracer datagrams) lost now, or in ``slot``."""
        with self.lock:
            self._count_drop(n, slot or slot_now(), None)

    def _count_drop(self, n, slot, why):
        if n <= 0:
            return
        self.drops[slot] = self.drops.get(slot, 0) + n
        self.dropped_total += n
        while len(self.drops) > MAX_DROP_SLOTS:
            _, old = self.drops.popitem(last=False)
            first = next(iter(self.drops))
            self.drops[first] += old
        if why:
            ep = self._episode(time.monotonic(), why)
            ep["dropped"] += n
            if not ep["full"]:
                ep["full"] = True
                self._say(why + " (counted in the counters' dropped)")

    def lost_counters(self, counters):
        """Counters the link gave up (REJECT, resend bound): counted apart; drops they carried come back."""
        with self.lock:
            self.counters_dropped += len(counters)
            for c in counters:
                n = int(c.get("dropped") or 0)
                if n > 0:
                    slot = slot_of(c.get("time") or 0)
                    self.drops[slot] = self.drops.get(slot, 0) + n

    def attach_drops(self, counters):
        """Each slot's drops go once onto one counter of that slot about to be sent."""
        with self.lock:
            if not self.drops or not counters:
                return
            newest = 0
            for c in counters:
                slot = slot_of(c.get("time") or 0)
                newest = max(newest, slot)
                n = self.drops.pop(slot, 0)
                if n:
                    c["dropped"] = int(c.get("dropped") or 0) + n
            # Counters go out in order, so the counters of slots up to the newest one here have gone
            # (or were themselves dropped): their drops go on the oldest counter sent now, a little
            # late rather than never. Drops of later slots wait for their own counters.
            late = [slot for slot in self.drops if slot <= newest]
            if late:
                counters[0]["dropped"] = int(counters[0].get("dropped") or 0) + sum(self.drops.pop(s) for s in late)

    # -- emptying (link thread) ------------------------------------------------------------------
    def has_data(self):
        return bool(self.txs.waiting() or self.counters.waiting())

    def tx_ready(self, now, flush, min_batch=200, wait=0.2):
        tier = self.txs
        if not tier.waiting():
            return False
        return bool(flush or tier.waiting() >= min_batch or (tier.spool is not None and tier.spool.unread)
                    or now - (self.first_tx_at or 0) >= wait)

    def take_txs(self, max_items, max_bytes):
        """``(sealed tx JSON list, token)``; ``done(token)`` when the batch is acknowledged or given up."""
        with self.lock:
            tier = self.txs
            items, token = self._take(tier, max_items, max_bytes, lambda item: len(item) + 1)
            self.first_tx_at = time.monotonic() if tier.memory else None
            if self.episode is not None and not tier.waiting():
                self._drained()
            return items, token

    def take_counters(self, max_items):
        with self.lock:
            items, token = self._take(self.counters, max_items, 1 << 30, _counter_size)
            self.attach_drops(items)
            return items, token

    def _take(self, tier, max_items, max_bytes, size):
        items, used = [], 0
        while tier.memory and len(items) < max_items:
            n = size(tier.memory[0])
            if items and used + n > max_bytes:
                break
            items.append(tier.pop())
            used += n
        if items or tier.spool is None or not tier.spool.unread:
            return items, None
        try:
            records, seg = tier.spool.read(max_items, max_bytes)
        except OSError as e:
            self._say("cannot read the spool %s (%s): its oldest segment is skipped" % (self.spool_where, e))
            tier.spool._drop_oldest()
            return [], None
        return [tier.decode(r) for r in records], (tier.spool, seg)

    def done(self, token):
        if token is not None:
            with self.lock:
                token[0].done(token[1])

    # -- boot log --------------------------------------------------------------------------------
    def _say(self, line):
        if self.log is not None:
            self.log.boot(line)

    def _episode(self, now, why):
        return self.episode if self.episode is not None else self._start_episode(now, why)

    def _start_episode(self, now, why):
        waiting = self.txs.waiting()
        self.episode = {"since": now, "kept": waiting, "spooled": 0, "dropped": 0, "spilling": False, "full": False}
        where = (" then in the spool %s (up to %d MB)" % (self.spool_where, self.spool_mb)) \
            if self.txs.spool is not None else "; the spool is off: beyond that new ones are dropped"
        self._say("transactions are piling up (%d waiting: %s): up to %d are kept in memory%s"
                  % (waiting, why, self.txs.max_items, where))
        return self.episode

    def _drained(self):
        ep, self.episode = self.episode, None
        self._say("the backlog is sent: %d transactions waited over %.0f s (%d of them in the spool), %d were "
                  "dropped; %d counters dropped" % (ep["kept"] + ep["spooled"], time.monotonic() - ep["since"],
                                                    ep["spooled"], ep["dropped"], self.counters_dropped))

    def close(self):
        with self.lock:
            for tier in (self.txs, self.counters):
                if tier.spool is not None:
                    tier.spool.close()

    def save(self, batches):
        """At stop: what is only in memory (and unacknowledged batches built from memory) goes to the
        spool, so the next start sends it. Returns how many transactions were saved."""
        saved = 0
        with self.lock:
            if self.txs.spool is None:
                return 0
            for kind, items in batches:
                tier = self.txs if kind == "tx" else self.counters
                for item in items:
                    saved += self._save_one(tier, item)
            for tier in (self.txs, self.counters):
                while tier.memory:
                    saved += self._save_one(tier, tier.pop())
        return saved

    def _save_one(self, tier, item):
        slot = slot_now() if tier is self.txs else slot_of(item.get("time") or 0)
        try:
            tier.spool.append(tier.encode(item), slot)
        except OSError:
            return 0
        return 1 if tier is self.txs else 0


class Batch:
    __slots__ = ("seq", "kind", "data", "count", "not_before", "sent_at", "token", "items")

    def __init__(self, seq, kind, data, count, token=None, items=None):
        self.seq, self.kind, self.data, self.count, self.not_before, self.sent_at = seq, kind, data, count, 0.0, 0.0
        self.token = token    # the spool segment it was read from, or None (built from memory)
        self.items = items    # memory-built batches: the items, to spool them at stop
