"""The agent's link to the collector survives a collector that sends wrong frames (issue 12 item 4):
every field is type-checked, a bad one is logged and the link reconnects; nothing is lost."""
import json
import math
import threading
import time

import pytest

from fake_collector import ACK, BUSY, ERROR, REFUSE, REJECT, FakeCollector
from whatap.agent import frames
from whatap.agent.link import Link
from whatap.agent.outbox import Outbox


class Settings:
    generation = 1
    conf_path = "/nonexistent/whatap.conf"
    license = "tsl_testpcod_AAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBBCCCCCC"
    hosts = ["127.0.0.1"]
    tls = False
    tls_ca = ""
    hello = {"proto": 1, "objectName": "test-link"}

    def __init__(self, port):
        self.port = port


class Log:
    def __init__(self):
        self.lines = []
        self.lock = threading.Lock()

    def boot(self, message):
        with self.lock:
            self.lines.append(message)

    def text(self):
        with self.lock:
            return "\n".join(self.lines)


@pytest.fixture
def link_to():
    links = []

    def start(fc, **settings_fields):
        log, outbox, settings = Log(), Outbox(), Settings(fc.port)
        settings.__dict__.update(settings_fields)
        link = Link(outbox, lambda: settings, log)
        link.start()
        links.append(link)
        return link, outbox, log
    yield start
    for link in links:
        link.stop(5)


def wait(predicate, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def tx(txid):
    return json.dumps({"txid": txid}).encode()


# Each answer, sent in place of the ACK of the first batch, would have raised TypeError or been
# misread before the fix (`float([1])`, `seq: true` matching batch 1, NaN in the back-off clamp).
BAD_ANSWERS = [
    (ACK, {"seq": [1]}),
    (ACK, {"seq": True}),
    (ACK, {"seq": "1"}),
    (BUSY, {"seq": 1, "retryAfterMs": [1]}),
    (BUSY, {"seq": 1, "retryAfterMs": float("nan")}),
    (BUSY, {"seq": 1, "retryAfterMs": {"ms": 5}}),
    (REJECT, {"seq": None, "code": ["x"], "message": {}}),
    (ERROR, {"code": {"a": 1}, "message": [2]}),
]


@pytest.mark.parametrize("answer", BAD_ANSWERS, ids=lambda a: "0x%02x-%s" % (a[0], json.dumps(a[1])[:30]))
def test_a_malformed_answer_is_logged_and_the_batch_is_resent(link_to, answer):
    fc = FakeCollector()
    try:
        fc.bad_answers = [answer]
        link, outbox, log = link_to(fc)
        outbox.add_tx(tx("tx-bad-answer-1"))
        fc.wait(lambda c: "tx-bad-answer-1" in c.txs, timeout=40, what="the transaction after the bad answer")
        wait(lambda: link.acked >= 1, "the ACK")
        assert link.is_alive()
        assert fc.connections >= 2, "the link reconnected after the bad frame"
        assert "127.0.0.1:%d" % fc.port in log.text()
        outbox.add_tx(tx("tx-bad-answer-2"))  # and it keeps forwarding
        fc.wait(lambda c: "tx-bad-answer-2" in c.txs, timeout=40, what="a later transaction")
    finally:
        fc.close()


def test_the_log_names_the_bad_field(link_to):
    fc = FakeCollector()
    try:
        fc.bad_answers = [(BUSY, {"seq": 1, "retryAfterMs": [1]})]
        link, outbox, log = link_to(fc)
        outbox.add_tx(tx("tx-named-1"))
        fc.wait(lambda c: "tx-named-1" in c.txs, timeout=40, what="the transaction")
        assert "sent a malformed frame (field 'retryAfterMs' is not a number: [1]); reconnecting" in log.text()
    finally:
        fc.close()


@pytest.mark.parametrize("fields", [{"heartbeatMs": "soon"}, {"maxBatch": [5]}, {"maxFrame": float("inf")},
                                    {"maxBatch": 0}])
def test_a_malformed_welcome_is_a_failed_connection_not_a_dead_thread(link_to, fields):
    fc = FakeCollector()
    try:
        fc.welcome_extra = dict(fields)
        link, outbox, log = link_to(fc)
        outbox.add_tx(tx("tx-welcome-1"))
        fc.wait(lambda c: "tx-welcome-1" in c.txs, timeout=40, what="the transaction on the second connection")
        assert link.is_alive()
        assert "cannot connect to 127.0.0.1:%d: field %r" % (fc.port, next(iter(fields))) in log.text()
    finally:
        fc.close()


def test_refuse_after_welcome_ends_the_session_with_the_reason(link_to):
    fc = FakeCollector()
    try:
        fc.bad_answers = [(REFUSE, {"code": "license_revoked", "message": "this license key was revoked"})]
        link, outbox, log = link_to(fc)
        outbox.add_tx(tx("tx-refused-1"))
        wait(lambda: "refused this agent" in log.text(), "the REFUSE line")
        assert "refused this agent: this license key was revoked (license_revoked)" in log.text()
        assert link.is_alive() and outbox.dropped_total == 0  # kept, to send when the key is fixed
    finally:
        fc.close()


def test_an_unexpected_error_inside_the_link_restarts_it(link_to, monkeypatch):
    fc = FakeCollector()
    try:
        calls = [0]
        real = Link._next_batch

        def flaky(self, *args):
            calls[0] += 1
            if calls[0] == 1:
                raise TypeError("injected")
            return real(self, *args)
        monkeypatch.setattr(Link, "_next_batch", flaky)
        link, outbox, log = link_to(fc)
        outbox.add_tx(tx("tx-restart-1"))
        fc.wait(lambda c: "tx-restart-1" in c.txs, timeout=40, what="the transaction after the restart")
        assert "the link to the collector failed (TypeError: injected); it starts again" in log.text()
    finally:
        fc.close()


def test_parsers_refuse_wrong_types_and_keep_defaults():
    assert frames.welcome({})["maxBatch"] == 1000
    assert frames.seq({"seq": 3.0}) == 3
    assert frames.retry_after({"retryAfterMs": 1e12}) == 60.0
    assert frames.retry_after({"retryAfterMs": 0}) == 0.05
    assert frames.reason({"code": 5, "message": None}) == ("5", "")
    for bad in ({"seq": True}, {"seq": -1}, {"seq": 1.5}, {"seq": math.inf}, {}):
        with pytest.raises(frames.BadFrame):
            frames.seq(bad)
