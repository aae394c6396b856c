"""Frames of docs/protocol.md: uint32 big-endian length, uint8 type, UTF-8 JSON body."""
import json
import struct

HELLO, WELCOME, REFUSE = 0x01, 0x02, 0x03
TX_BATCH, COUNTERS, HEARTBEAT = 0x10, 0x11, 0x12
ACK, BUSY, ERROR, REJECT = 0x20, 0x21, 0x22, 0x23

MAX_INCOMING = 8 << 20
_LEN = struct.Struct(">I")


def frame(kind, body):
    """``body`` is a dict or already-encoded JSON bytes."""
    if not isinstance(body, (bytes, bytearray)):
        body = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return _LEN.pack(len(body) + 1) + bytes((kind,)) + body


class FrameReader:
    """Accumulates bytes and yields ``(type, dict)`` frames."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 5:
            (length,) = _LEN.unpack_from(self.buf)
            if length < 1 or length > MAX_INCOMING:
                raise ValueError("bad frame length %d" % length)
            if len(self.buf) < 4 + length:
                break
            kind = self.buf[4]
            body = bytes(self.buf[5:4 + length])
            del self.buf[:4 + length]
            try:
                obj = json.loads(body.decode("utf-8")) if body else {}
            except ValueError:
                raise ValueError("frame 0x%02x with a body that is not JSON" % kind)
            if not isinstance(obj, dict):
                raise ValueError("frame 0x%02x with a body that is not a JSON object" % kind)
            out.append((kind, obj))
        return out
