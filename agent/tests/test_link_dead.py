"""A connection whose packets silently vanish is noticed (issue 19): no answer to a sent batch within
1.5 heartbeats closes it, the boot log says so, and the link fails over to the next host."""
import json
import re
import socket
import threading
import time

from fake_collector import FakeCollector
from test_link_frames import link_to, wait  # noqa: F401  (the in-process link fixture)


class FreezingProxy:
    """Forwards TCP to ``upstream`` until frozen; then holds every connection open and silent."""

    def __init__(self, host, port, upstream):
        self.upstream = upstream
        self.frozen = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(8)
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.held += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src, dst):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.frozen.is_set():
                continue  # swallowed: like a path that drops packets without a reset
            try:
                dst.sendall(data)
            except OSError:
                return

    def close(self):
        self.sock.close()
        for s in self.held:
            try:
                s.close()
            except OSError:
                pass


def test_a_silent_connection_is_noticed_and_the_next_host_is_used(link_to):  # noqa: F811
    first = FakeCollector(heartbeat_ms=2000)
    proxy = FreezingProxy("127.0.0.1", 0, ("127.0.0.1", first.port))
    port = proxy.sock.getsockname()[1]
    second = FakeCollector(heartbeat_ms=2000, host="127.0.0.2", port=port)
    try:
        link, outbox, log = link_to(first, port=port, hosts=["127.0.0.1", "127.0.0.2"])
        outbox.add_tx(json.dumps({"txid": "tx-dead-1"}).encode())
        first.wait(lambda c: "tx-dead-1" in c.txs, timeout=40, what="the first transaction through the proxy")
        proxy.frozen.set()
        frozen_at = time.monotonic()
        outbox.add_tx(json.dumps({"txid": "tx-dead-2"}).encode())
        second.wait(lambda c: "tx-dead-2" in c.txs, timeout=60, what="the transaction on the second host")
        noticed = time.monotonic() - frozen_at
        text = log.text()
        assert re.search(r"connection to the collector at 127\.0\.0\.1:%d lost: no answer to a batch for \d+ s: "
                         r"the connection looks dead; reconnecting" % port, text), text
        assert "connected to the collector at 127.0.0.2:%d" % port in text
        assert "tx-dead-2" not in first.txs
        # the bound is 1.5 heartbeats (3 s); a loaded machine may add some, but not the 96 s of before
        assert noticed < 45, noticed
    finally:
        proxy.close()
        first.close()
        second.close()
