"""A small collector implementing docs/protocol.md enough for focused agent tests.

It answers HELLO with WELCOME (or REFUSE), ACKs batches (or, on request, answers BUSY or
drops the connection before acknowledging), dedups transactions by txid like the real
collector, and records everything it received.
"""
import json
import socket
import struct
import threading
import time

HELLO, WELCOME, REFUSE = 0x01, 0x02, 0x03
TX_BATCH, COUNTERS, HEARTBEAT = 0x10, 0x11, 0x12
ACK, BUSY, ERROR, REJECT = 0x20, 0x21, 0x22, 0x23


def frame(kind, body):
    data = json.dumps(body).encode()
    return struct.pack(">I", len(data) + 1) + bytes((kind,)) + data


class FakeCollector:
    def __init__(self, refuse=None, heartbeat_ms=10000, port=0, host="127.0.0.1"):
        self.refuse = refuse                # (code, message) to refuse every agent
        self.heartbeat_ms = heartbeat_ms
        self.drop_before_ack = 0            # close the connection instead of acking this many batches
        self.busy = 0                       # answer BUSY to this many batches
        self.bad_answers = []               # (kind, body) sent instead of the next batches' answers
        self.welcome_extra = {}             # fields merged into WELCOME (to send wrong types)
        self.hellos = []
        self.batches = []                   # (kind, body) of every batch frame received
        self.raw = bytearray()              # every byte received, to check nothing leaks in clear
        self.txs = {}                       # txid -> transaction (first copy)
        self.tx_receipts = 0                # transactions received including resends
        self.counters = []
        self.heartbeats = 0
        self.connections = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                self.clients.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buf = b""
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                with self.lock:
                    self.raw += data
                buf += data
                while len(buf) >= 5:
                    (length,) = struct.unpack(">I", buf[:4])
                    if len(buf) < 4 + length:
                        break
                    kind, body = buf[4], buf[5:4 + length]
                    buf = buf[4 + length:]
                    if not self._on_frame(conn, kind, json.loads(body) if body else {}):
                        conn.close()
                        return
        except OSError:
            return

    def _on_frame(self, conn, kind, body):
        if kind == HELLO:
            with self.lock:
                self.hellos.append(body)
            if self.refuse:
                conn.sendall(frame(REFUSE, {"code": self.refuse[0], "message": self.refuse[1]}))
                return False
            welcome = {"pcode": "testpcod", "agentId": 7, "objectName": body.get("objectName"),
                       "maxFrame": 8 << 20, "maxBatch": 1000, "heartbeatMs": self.heartbeat_ms}
            with self.lock:
                welcome.update(self.welcome_extra)
                self.welcome_extra = {}
            conn.sendall(frame(WELCOME, welcome))
            return True
        if kind == HEARTBEAT:
            with self.lock:
                self.heartbeats += 1
            return True
        if kind in (TX_BATCH, COUNTERS):
            with self.lock:
                self.batches.append((kind, body))
                if self.drop_before_ack > 0:
                    self.drop_before_ack -= 1
                    return False
                if self.bad_answers:
                    conn.sendall(frame(*self.bad_answers.pop(0)))
                    return True
                if self.busy > 0:
                    self.busy -= 1
                    conn.sendall(frame(BUSY, {"seq": body["seq"], "retryAfterMs": 200}))
                    return True
                stored = 0
                for tx in body.get("txs", []):
                    self.tx_receipts += 1
                    if tx["txid"] not in self.txs:
                        self.txs[tx["txid"]] = tx
                        stored += 1
                self.counters.extend(body.get("counters", []))
            conn.sendall(frame(ACK, {"seq": body["seq"], "stored": stored}))
            return True
        conn.sendall(frame(ERROR, {"code": "protocol", "message": "unexpected frame %d" % kind}))
        return False

    def wait(self, predicate, timeout=15.0, what="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self):
                    return
            time.sleep(0.05)
        raise AssertionError("fake collector: timed out waiting for %s (hellos=%d, txs=%d, counters=%d)"
                             % (what, len(self.hellos), len(self.txs), len(self.counters)))

    def drop_connections(self):
        with self.lock:
            for c in self.clients:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                    c.close()
                except OSError:
                    pass
            self.clients = []

    def close(self):
        self.running = False
        try:
            self.sock.close()
        except OSError:
            pass
        self.drop_connections()
