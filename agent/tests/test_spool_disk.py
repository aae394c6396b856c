"""The spool on a disk that fills up (issue 19): the agent process says so in the boot log, keeps
what fits in memory, and what it spooled before the disk filled is sent once the collector is back;
everything it could not keep is counted in the counters' ``dropped``."""
import os
import resource
import subprocess
import time

from conftest import agent_pid_of, boot_log, env_for, free_port, send_message, wait_for
from fake_collector import FakeCollector
from test_agent_process import a_tx
from whatap import udp_wire

LIMIT = 256 << 10  # RLIMIT_FSIZE: no file of the agent may grow past 256 KB, as on a full disk


def _small_files():
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_a_full_disk_falls_back_to_memory_and_the_spooled_part_is_still_sent(venv, make_home, procs, tmp_path):
    port = free_port()
    home = make_home(port, net_send_queue_size=100)
    env = env_for(venv, home)
    agent = subprocess.Popen([os.path.join(venv, "bin", "python"), "-m", "whatap.whatap_python", "--home", home],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True, preexec_fn=_small_files)
    procs.procs.append(agent)
    wait_for(lambda: agent_pid_of(home) == agent.pid, timeout=30, what="the agent in the foreground")
    sent = ["tx-diskfull-%04d" % i for i in range(800)]
    for txid in sent:
        send_message(home, udp_wire.KIND_TX, a_tx(txid, url="/" + "x" * 600))
    wait_for(lambda: "cannot write to the spool" in boot_log(home), timeout=30, what="the spool to fail")
    log = boot_log(home)
    assert ("cannot write to the spool %s/spool (File too large): transactions are kept in memory only (up to 100)"
            % home) in log
    assert "the memory buffer is full (100 transactions) and the spool is unusable: new transactions are dropped" \
        in log

    fc = FakeCollector(port=port)
    try:
        def counted():
            slot = (int(time.time() // 5) + 1) * 5000  # a tracer's counter for the current slot
            send_message(home, udp_wire.KIND_COUNTER, {"time": slot, "txCount": 0, "dropped": 0})
            time.sleep(0.5)
            with fc.lock:
                return len(fc.txs) + sum(c["dropped"] for c in fc.counters) == len(sent)
        wait_for(counted, timeout=60, what="every transaction either received or counted as dropped")
        spooled = len(fc.txs) - 100
        assert spooled > 100 and set(fc.txs) <= set(sent)  # the spool held more than memory before the disk filled
        wait_for(lambda: "the backlog is sent" in boot_log(home), timeout=30, what="the drained line")
    finally:
        fc.close()
