"""Sealed tracer datagrams for ``net_udp_port`` (the default Unix socket needs none).

Any local user can send to or bind a loopback UDP port, so there every datagram of
udp_wire is sealed with AES-256-GCM under the home's link key (``run/link.key``):

    magic "WTS1" | nonce (12) | AES-GCM(key, nonce, aad=magic)(sent_at float64 | udp_wire datagram) + tag

The nonce is 8 random bytes chosen per process (again after a fork) and a 32-bit counter.
The receiver drops what does not authenticate, what was sealed more than WINDOW seconds
away from now, and nonces it has already seen within that window (replays).
"""
import os
import struct
import time

try:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    CRYPTO_ERROR = None
except Exception as _e:  # ImportError, or a broken binary wheel
    CRYPTO_ERROR = "%s: %s" % (type(_e).__name__, _e)

MAGIC = b"WTS1"
NONCE = 12
TAG = 16
STAMP = struct.Struct(">d")
WINDOW = 30.0
OVERHEAD = len(MAGIC) + NONCE + STAMP.size + TAG
MAX_SEEN = 400000


class Sealer:
    def __init__(self, key):
        self.aead = AESGCM(key)
        self.pid = None

    def seal(self, datagram, now=None):
        if self.pid != os.getpid() or self.counter >= 0xFFFFFFFF:
            self.pid, self.prefix, self.counter = os.getpid(), os.urandom(8), 0
        self.counter += 1
        nonce = self.prefix + struct.pack(">I", self.counter)
        body = STAMP.pack(time.time() if now is None else now) + datagram
        return MAGIC + nonce + self.aead.encrypt(nonce, body, MAGIC)


class Opener:
    """Opens sealed datagrams; counts what it refuses (never keeps their content)."""

    def __init__(self, key, window=WINDOW):
        self.aead = AESGCM(key)
        self.window = window
        self.seen = {}  # nonce -> sent_at, for the replay window
        self.rejected = 0

    def open(self, data, now=None):
        """The udp_wire datagram, or None (counted in ``rejected``)."""
        now = time.time() if now is None else now
        if len(data) < OVERHEAD or data[:4] != MAGIC:
            self.rejected += 1
            return None
        nonce = bytes(data[4:4 + NONCE])
        try:
            body = self.aead.decrypt(nonce, bytes(data[4 + NONCE:]), MAGIC)
        except InvalidTag:
            self.rejected += 1
            return None
        sent_at = STAMP.unpack_from(body)[0]
        if abs(now - sent_at) > self.window or nonce in self.seen:
            self.rejected += 1
            return None
        if len(self.seen) >= MAX_SEEN:
            self.expire(now)
            if len(self.seen) >= MAX_SEEN:  # a flood of genuine datagrams: refuse rather than forget
                self.rejected += 1
                return None
        self.seen[nonce] = sent_at
        return body[STAMP.size:]

    def expire(self, now=None):
        """Forgets nonces older than the window (they are refused as stale anyway)."""
        cutoff = (time.time() if now is None else now) - self.window
        self.seen = {n: t for n, t in self.seen.items() if t >= cutoff}
