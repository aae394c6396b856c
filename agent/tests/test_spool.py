"""The outage spool (issue 19): segment files of length-prefixed records, robust to a crash mid-write,
bounded (oldest dropped and counted by slot), private files in a private directory; and the outbox
in front of it: memory first, the spool when memory is full, drops on the counter of their slot."""
import json
import os
import stat

import pytest

from whatap import rundir
from whatap.agent import spool
from whatap.agent.outbox import Outbox, slot_now
from whatap.agent.spool import SegmentQueue


@pytest.fixture
def spool_dir(tmp_path):
    fd = rundir.prepare_for_agent(str(tmp_path), [], rundir.SPOOL_DIR)
    yield fd, str(tmp_path / "spool")
    os.close(fd)


def tx(i, pad=100):
    return json.dumps({"txid": "tx-%06d" % i, "pad": "x" * pad}).encode()


def drain(queue, ack=True):
    out = []
    while True:
        records, seg = queue.read(1000, 1 << 20)
        if not records:
            return out
        out += records
        if ack:
            queue.done(seg)


def segments(path):
    return sorted(n for n in os.listdir(path) if n.endswith(".seg"))


def test_records_come_back_in_order_and_acknowledged_segments_are_deleted(spool_dir):
    fd, path = spool_dir
    q = SegmentQueue(fd, "tx", 1 << 20, 64 << 10)
    for i in range(2000):
        q.append(tx(i), 5000)
    assert q.unread == 2000 and len(segments(path)) > 3  # 64 KB segments
    assert drain(q) == [tx(i) for i in range(2000)]
    assert q.unread == 0 and segments(path) == [] and q.bytes == 0


def test_a_segment_stays_until_every_batch_read_from_it_is_acknowledged(spool_dir):
    fd, path = spool_dir
    q = SegmentQueue(fd, "tx", 1 << 20, 64 << 10)
    for i in range(10):
        q.append(tx(i), 5000)
    first, seg1 = q.read(4, 1 << 20)
    second, seg2 = q.read(100, 1 << 20)
    assert seg1 is seg2 and len(first) == 4 and len(second) == 6
    q.done(seg2)
    assert segments(path) == ["tx-000000000001.seg"]  # batch 1 not acknowledged yet
    q.done(seg1)
    assert segments(path) == []


def test_spool_files_are_private_in_a_private_directory(spool_dir):
    fd, path = spool_dir
    q = SegmentQueue(fd, "tx", 1 << 20, 64 << 10)
    old = os.umask(0)
    try:
        q.append(tx(1), 5000)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
    for name in segments(path):
        st = os.lstat(os.path.join(path, name))
        assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.geteuid()


def test_a_crash_mid_write_loses_only_the_cut_record(spool_dir):
    fd, path = spool_dir
    q = SegmentQueue(fd, "tx", 1 << 20, 1 << 20)
    for i in range(5):
        q.append(tx(i), 5000)
    q.close()
    name = os.path.join(path, segments(path)[0])
    with open(name, "ab") as f:  # what a crash in the middle of a write leaves: a header and half a payload
        record = spool.HEADER.pack(len(tx(5)), 0, 5000) + tx(5)
        f.write(record[:len(record) // 2])
    notes = []
    again = SegmentQueue(fd, "tx", 1 << 20, 1 << 20, notes)
    assert again.unread == 5
    assert "are not a whole record (the agent stopped while writing); they are skipped" in notes[0]
    again.append(tx(6), 5000)  # appends go to a new segment, after the old one
    assert drain(again) == [tx(i) for i in (0, 1, 2, 3, 4, 6)]


def test_a_damaged_record_ends_its_segment(spool_dir):
    fd, path = spool_dir
    q = SegmentQueue(fd, "tx", 1 << 20, 1 << 20)
    for i in range(5):
        q.append(tx(i), 5000)
    q.close()
    name = os.path.join(path, segments(path)[0])
    with open(name, "r+b") as f:  # flip a byte in the third record's payload: its CRC no longer matches
        f.seek(2 * (spool.HEADER.size + len(tx(0))) + spool.HEADER.size + 3)
        f.write(b"#")
    assert drain(SegmentQueue(fd, "tx", 1 << 20, 1 << 20, [])) == [tx(0), tx(1)]


def test_beyond_the_bound_the_oldest_are_dropped_and_counted_by_slot(spool_dir):
    fd, path = spool_dir
    q = SegmentQueue(fd, "tx", 256 << 10, 64 << 10)
    for i in range(6000):
        q.append(tx(i), 5000 * (1 + i // 1000))  # six slots of 1,000
    dropped = q.take_dropped()
    kept = drain(q)
    assert sum(dropped.values()) + len(kept) == 6000
    assert kept == [tx(i) for i in range(6000 - len(kept), 6000)]  # the newest are kept, in order
    assert q.bytes == 0 and sum(os.path.getsize(os.path.join(path, n)) for n in segments(path)) == 0
    first_kept = 6000 - len(kept)
    assert dropped[5000] == 1000 and set(dropped) == {5000 * (1 + s) for s in range(first_kept // 1000 + 1)
                                                      if s * 1000 < first_kept}


def test_a_planted_segment_of_another_mode_is_not_read(spool_dir):
    fd, path = spool_dir
    data = spool.HEADER.pack(len(tx(1)), __import__("zlib").crc32(tx(1)), 5000) + tx(1)
    with open(os.path.join(path, "tx-000000000007.seg"), "wb") as f:
        f.write(data)
    os.chmod(os.path.join(path, "tx-000000000007.seg"), 0o644)
    notes = []
    q = SegmentQueue(fd, "tx", 1 << 20, 1 << 20, notes)
    assert q.unread == 0 and "tx-000000000007.seg is not used" in notes[0]


# -- the outbox in front of the spool ---------------------------------------------------------------

class Log:
    def __init__(self):
        self.lines = []

    def boot(self, line):
        self.lines.append(line)


def test_memory_first_then_the_spool_in_order_and_the_boot_log_tells_the_story(spool_dir):
    fd, path = spool_dir
    log = Log()
    box = Outbox(max_txs=100, log=log)
    box.attach_spool(fd, 8 << 20, path, [])
    for i in range(500):
        box.add_tx(tx(i))
    assert len(box.txs.memory) == 100 and box.txs.spool.unread == 400 and segments(path)
    box.add_tx(tx(500))  # once spooling, new ones follow the spooled ones
    got, tokens = [], []
    while box.has_data():
        items, token = box.take_txs(128, 1 << 20)
        got += items
        tokens.append(token)
    assert got == [tx(i) for i in range(501)]
    for token in tokens:
        box.done(token)
    assert segments(path) == [] and box.dropped_total == 0
    text = "\n".join(log.lines)
    assert "transactions are piling up (100 waiting" in text
    assert "the memory buffer is full (100 transactions): writing to the spool %s" % path in text
    assert "the backlog is sent: 501 transactions waited" in text and "(401 of them in the spool), 0 were dropped" \
        in text


def test_without_the_spool_new_transactions_are_dropped_in_their_slot(monkeypatch):
    log = Log()
    box = Outbox(max_txs=10, log=log)
    now = [1000.0]
    monkeypatch.setattr("whatap.agent.outbox.time.time", lambda: now[0])
    for i in range(30):
        now[0] = 1000.0 + i  # one per second: slots 1005, 1010, ... end of each 5 s window
        box.add_tx(tx(i))
    assert box.dropped_total == 20
    counters = [{"time": t * 1000, "dropped": 0} for t in range(1005, 1035, 5)]
    box.attach_drops(counters)
    # 1000..1009 kept; 1010..1029 dropped: 5 in each of the windows ending 1015, 1020, 1025, 1030
    assert [c["dropped"] for c in counters] == [0, 0, 5, 5, 5, 5]
    assert "the memory buffer is full (10 transactions) and the spool is off: new transactions are dropped" \
        in "\n".join(log.lines)


def test_drops_of_a_slot_without_its_counter_go_on_the_oldest_counter_sent_next():
    box = Outbox()
    box.drop(3, slot=10000)
    box.drop(4, slot=20000)
    box.drop(5, slot=40000)  # its counter has not come yet: it waits
    counters = [{"time": 15000, "dropped": 1}, {"time": 20000, "dropped": 0}, {"time": 20000, "dropped": 0}]
    box.attach_drops(counters)
    assert [c["dropped"] for c in counters] == [1 + 3, 4, 0]  # once per slot, on one counter
    later = [{"time": 40000, "dropped": 0}]
    box.attach_drops(later)
    assert later[0]["dropped"] == 5 and not box.drops


def test_dropped_counters_are_not_counted_as_transactions():
    box = Outbox(max_counters=3)
    for t in range(5):
        box.add_counter({"time": 5000 * (t + 1), "dropped": 0})
    assert box.counters_dropped == 2 and box.dropped_total == 0
    box.lost_counters([{"time": 5000, "dropped": 7}])  # a counter batch given up: its drops come back
    assert box.counters_dropped == 3 and box.dropped_total == 0
    items, _ = box.take_counters(10)
    assert [c["time"] for c in items] == [15000, 20000, 25000] and items[0]["dropped"] == 7


def test_an_unwritable_spool_falls_back_to_memory_with_a_boot_log_line(spool_dir, monkeypatch):
    fd, path = spool_dir
    log = Log()
    box = Outbox(max_txs=5, log=log)
    box.attach_spool(fd, 8 << 20, path, [])

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(box.txs.spool, "append", full)
    for i in range(8):
        box.add_tx(tx(i))
    assert len(box.txs.memory) == 5 and box.dropped_total == 3
    text = "\n".join(log.lines)
    assert ("cannot write to the spool %s (No space left on device): transactions are kept in memory only (up to 5)"
            % path) in text


def test_at_stop_what_is_in_memory_goes_to_the_spool_and_comes_back_at_the_next_start(tmp_path):
    fd = rundir.prepare_for_agent(str(tmp_path), [], rundir.SPOOL_DIR)
    box = Outbox(log=Log())
    box.attach_spool(fd, 8 << 20, "spool", [])
    for i in range(3):
        box.add_tx(tx(i))
    box.add_counter({"time": 5000, "txCount": 3})
    assert box.save([("tx", [tx(9)])]) == 4
    box.close()
    notes = []
    again = Outbox(log=Log())
    again.attach_spool(fd, 8 << 20, "spool", notes)
    assert "holds 4 transactions and 1 counters from before this start" in notes[0]
    items, token = again.take_txs(100, 1 << 20)
    assert sorted(items) == sorted([tx(9), tx(0), tx(1), tx(2)])
    assert again.take_counters(10)[0] == [{"time": 5000, "txCount": 3}]
    os.close(fd)


def test_slot_now_matches_the_tracer_counter_stamp():
    assert slot_now(1000.0) == 1005000 and slot_now(1004.999) == 1005000 and slot_now(1005.0) == 1010000


def test_the_spool_options_parse_and_a_bad_value_names_its_key():
    from whatap import conf
    c = conf.parse("spool_enabled=false\nspool_max_mb=64\nnet_send_queue_size=0\n")
    assert c["spool_enabled"] is False and c["spool_max_mb"] == 64
    assert c["net_send_queue_size"] == 10000
    assert "net_send_queue_size='0' is not valid" in c.problems[0]
    assert conf.parse("")["spool_enabled"] is True and conf.parse("")["spool_max_mb"] == 512
