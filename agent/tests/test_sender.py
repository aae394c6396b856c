"""The tracer's sender against the agent process's real receiving end (its Unix socket): many
transactions travel as rows in few messages and read back as the protocol's transactions; when
the agent's socket is full they wait and go later, none lost; an agent that is not there costs
transactions, and each one is counted."""
import json
import time

from conftest import channel_to, write_conf
from whatap import conf as confmod
from whatap import udp_wire
from whatap.agent.receiver import open_receiver
from whatap.home import Home
from whatap.tracer.sender import Sender


def a_row(i, text="SELECT 1"):
    step = {"kind": "sql", "start": 0.5, "elapsed": 1.0, "text": text, "fetch": 0, "depth": 0}
    return ("%016x" % i, 1764771234567890 + i, 1234, "/orders/{id}", "GET", 200, None, "10.0.0.9", "pytest",
            512, 1, 1000, 0, 0, [step], None)


def sender_to(home):
    sender = Sender()
    sender.channel = channel_to(home)
    sender.thread = "not started"  # the test drains; a background thread would do it in an app
    return sender


def receive(receiver, until, timeout=30.0):
    """(messages, transactions) read from the agent's socket until ``until(transactions)``."""
    joiner = udp_wire.Reassembler()
    messages, txs = 0, []
    deadline = time.monotonic() + timeout
    while not until(txs) and time.monotonic() < deadline:
        for data in receiver.poll(0.1):
            got = joiner.feed(data, time.monotonic())
            if got is not None:
                assert got[0] == udp_wire.KIND_TX_ROWS
                messages += 1
                txs += [udp_wire.tx_from_row(row) for row in json.loads(got[2])]
    return messages, txs


def test_transactions_go_as_rows_in_few_messages_and_read_as_the_protocol_says(tmp_path):
    home = str(tmp_path)
    write_conf(home, agent_autostart="false")
    receiver = open_receiver(Home(home), confmod.read(home + "/whatap.conf"), [])
    try:
        sender = sender_to(home)
        for i in range(500):
            sender.put(udp_wire.KIND_TX_ROWS, a_row(i))
        sender.drain()
        messages, txs = receive(receiver, lambda txs: len(txs) >= 500)
    finally:
        receiver.close()
    assert (len(txs), sender.sent, sender.dropped) == (500, 500, 0)
    assert messages <= 5
    assert txs[7] == {"txid": "0000000000000007", "start": 1764771234567.897, "end": 1764771234569.131,
                      "elapsed": 1.234, "url": "/orders/{id}", "method": "GET", "status": 200, "error": None,
                      "clientIp": "10.0.0.9", "userAgent": "pytest", "cpu": 0.512, "sqlCount": 1, "sqlTime": 1.0,
                      "httpcCount": 0, "httpcTime": 0.0, "steps": [a_row(7)[14][0]]}


def test_a_full_socket_keeps_the_transactions_until_the_agent_reads_again(tmp_path):
    home = str(tmp_path)
    write_conf(home, agent_autostart="false")
    receiver = open_receiver(Home(home), confmod.read(home + "/whatap.conf"), [])
    try:
        sender = sender_to(home)
        n = 3000  # 10 KB each: far more than the socket buffers hold while nobody reads
        for i in range(n):
            sender.put(udp_wire.KIND_TX_ROWS, a_row(i, "SELECT '%s'" % ("x" * 10000)))
            if i % 100 == 99:
                sender.drain()
        assert sender.held, "the socket never filled: the test proves nothing"
        assert sender.dropped == 0

        def read_and_drain(txs):
            sender.drain()  # what the background thread does on its next wakeup
            return len(txs) >= n
        _, txs = receive(receiver, read_and_drain, timeout=60.0)
    finally:
        receiver.close()
    assert [tx["txid"] for tx in txs] == ["%016x" % i for i in range(n)]
    assert (sender.sent, sender.dropped) == (n, 0)


def test_without_an_agent_every_lost_transaction_is_counted(tmp_path):
    home = str(tmp_path)
    write_conf(home, agent_autostart="false")
    sender = sender_to(home)
    for i in range(250):
        sender.put(udp_wire.KIND_TX_ROWS, a_row(i))
    sender.drain()
    assert (sender.sent, sender.dropped, len(sender.rows), len(sender.held)) == (0, 250, 0, 0)
