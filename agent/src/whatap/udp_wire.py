"""Tracer -> agent process datagrams (documented in agent/README.md).

Each datagram: a 17-byte header then a slice of one message's UTF-8 JSON.

    magic   4s  b"WTP1"
    kind    B   1 = transaction, 2 = counter, 3 = transactions as rows (what tracers send)
    msgid   I   random per message (per sending process)
    index   H   chunk number, 0-based
    count   H   number of chunks (1 for most messages)
    pid     I   the sending app process
"""
import struct

MAGIC = b"WTP1"
HEADER = struct.Struct(">4sBIHHI")
KIND_TX = 1
KIND_COUNTER = 2
KIND_TX_ROWS = 3
CHUNK_BYTES = 60000          # below the 65,507-byte UDP payload limit on loopback
MAX_CHUNKS = 32
MAX_MESSAGE = CHUNK_BYTES * MAX_CHUNKS


# A transaction as a row: a JSON array in this order, times in integer microseconds (``start``
# since the epoch), which costs the tracer a fraction of an object with float milliseconds.
# The trace context fields at the end may be left out (a tracer started before they existed).
ROW_FIELDS = ("txid", "start", "elapsed", "url", "method", "status", "error", "clientIp", "userAgent", "cpu",
              "sqlCount", "sqlTime", "httpcCount", "httpcTime", "steps", "p", "traceId", "spanId", "parentSpanId")
_ROW_OPTIONAL = ("p", "traceId", "spanId", "parentSpanId")
_ROW_MIN = ROW_FIELDS.index("p") + 1
_ROW_TIMES = ("elapsed", "cpu", "sqlTime", "httpcTime")
_LIMIT = 1 << 62


def tx_from_row(row):
    """The transaction object (docs/protocol.md, clear parameters in ``p``) of one row; None
    when the row is malformed. Field values are checked further by the agent (sanitize.py)."""
    if not isinstance(row, list) or not _ROW_MIN <= len(row) <= len(ROW_FIELDS):
        return None
    tx = dict(zip(ROW_FIELDS, row + [None] * (len(ROW_FIELDS) - len(row))))
    start, elapsed = tx["start"], tx["elapsed"]
    for name in ("start",) + _ROW_TIMES:
        value = tx[name]
        if not isinstance(value, int) or isinstance(value, bool) or not -_LIMIT < value < _LIMIT:
            return None
        tx[name] = value / 1000.0
    tx["end"] = (start + elapsed) / 1000.0
    for name in _ROW_OPTIONAL:
        if tx[name] is None:
            del tx[name]
    return tx


def encode(kind, msgid, pid, payload):
    """Splits one message into datagrams; None when it is larger than MAX_MESSAGE."""
    size = len(payload)
    if size <= CHUNK_BYTES:
        return [HEADER.pack(MAGIC, kind, msgid, 0, 1, pid) + payload]
    count = -(-size // CHUNK_BYTES)
    if count > MAX_CHUNKS:
        return None
    return [HEADER.pack(MAGIC, kind, msgid, i, count, pid) + payload[i * CHUNK_BYTES:(i + 1) * CHUNK_BYTES]
            for i in range(count)]


class Reassembler:
    """Joins chunks; bounded in messages, bytes and age. Counts what it had to drop."""

    def __init__(self, max_pending=256, max_bytes=8 << 20, ttl=5.0):
        self.max_pending = max_pending
        self.max_bytes = max_bytes
        self.ttl = ttl
        self.pending = {}  # (pid, msgid) -> [first_seen, count, {index: bytes}, size]
        self.bytes = 0
        self.dropped = 0
        self.malformed = 0

    def feed(self, data, now):
        """Returns ``(kind, pid, payload)`` when a message is complete, else None."""
        if len(data) < HEADER.size or data[:4] != MAGIC:
            self.malformed += 1
            return None
        _, kind, msgid, index, count, pid = HEADER.unpack_from(data)
        body = data[HEADER.size:]
        if count == 1 and index == 0:
            return kind, pid, body
        if count == 0 or count > MAX_CHUNKS or index >= count:
            self.malformed += 1
            return None
        key = (pid, msgid)
        entry = self.pending.get(key)
        if entry is None:
            if len(self.pending) >= self.max_pending or self.bytes + len(body) > self.max_bytes:
                self.expire(now, force=True)
            entry = self.pending[key] = [now, count, {}, 0]
        if index not in entry[2]:
            entry[2][index] = body
            entry[3] += len(body)
            self.bytes += len(body)
        if len(entry[2]) < entry[1]:
            return None
        del self.pending[key]
        self.bytes -= entry[3]
        return kind, pid, b"".join(entry[2][i] for i in range(entry[1]))

    def expire(self, now, force=False):
        """Drops messages older than ttl; with force, also the oldest one to make room."""
        for key in [k for k, e in self.pending.items() if now - e[0] > self.ttl]:
            self._drop(key)
        if force and self.pending:
            self._drop(min(self.pending, key=lambda k: self.pending[k][0]))

    def _drop(self, key):
        entry = self.pending.pop(key)
        self.bytes -= entry[3]
        self.dropped += 1
