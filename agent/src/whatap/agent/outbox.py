"""What waits to be sent to the collector: transactions and counters from the UDP thread,
and batches built from them, kept until acknowledged. Everything is bounded; drops are counted."""
import collections
import threading
import time


class Outbox:
    """Filled by the UDP thread, emptied by the link; bounded, counting drops."""

    def __init__(self, max_txs=10000, max_counters=2000, max_bytes=64 << 20):
        self.max_txs = max_txs
        self.max_counters = max_counters
        self.max_bytes = max_bytes
        self.tx_bytes = 0
        self.txs = collections.deque()       # JSON bytes of sealed transactions
        self.counters = collections.deque()  # counter dicts
        self.first_tx_at = None
        self._lock = threading.Lock()
        self.dropped = 0
        self.dropped_total = 0

    def add_tx(self, data):
        if len(self.txs) >= self.max_txs or self.tx_bytes + len(data) > self.max_bytes:
            self.drop(1)
            return
        if not self.txs:
            self.first_tx_at = time.monotonic()
        self.tx_bytes += len(data)
        self.txs.append(data)

    def take_tx(self):
        data = self.txs.popleft()
        self.tx_bytes -= len(data)
        return data

    def add_counter(self, counter):
        if len(self.counters) >= self.max_counters:
            self.counters.popleft()
            self.drop(1)
        self.counters.append(counter)

    def drop(self, n):
        with self._lock:
            self.dropped += n
            self.dropped_total += n

    def take_dropped(self):
        with self._lock:
            n, self.dropped = self.dropped, 0
            return n


class Batch:
    __slots__ = ("seq", "kind", "data", "count", "not_before", "sent_at")

    def __init__(self, seq, kind, data, count):
        self.seq, self.kind, self.data, self.count, self.not_before, self.sent_at = seq, kind, data, count, 0.0, 0.0
