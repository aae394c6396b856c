"""The agent process (whatap_python) against the fake collector: the tracer link in (its Unix
socket by default), real TCP out."""
import os
import socket
import stat
import subprocess
import time


from conftest import agent_pid_of, boot_log, channel_to, env_for, free_port, send_message, wait_for
from fake_collector import FakeCollector
from whatap import paramkey, udp_wire
from whatap.conf import read as read_conf


def start_agent(venv, home, extra_env=None):
    """``whatap-start-agent true``: starts the agent of ``home``, then runs /bin/true."""
    env = env_for(venv, home, **(extra_env or {}))
    r = subprocess.run([os.path.join(venv, "bin", "whatap-start-agent"), "true"], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r


def udp_port(home):
    return read_conf(os.path.join(home, "whatap.conf"))["net_udp_port"]


send = send_message


def a_tx(txid, **extra):
    now = time.time() * 1000
    tx = {"txid": txid, "start": now - 12, "end": now, "elapsed": 12.0, "url": "/checkout", "method": "POST",
          "status": 200, "error": None, "clientIp": "10.0.0.9", "userAgent": "test", "cpu": 1.0, "sqlCount": 1,
          "sqlTime": 2.0, "httpcCount": 0, "httpcTime": 0.0,
          "steps": [{"kind": "sql", "start": 1.0, "elapsed": 2.0, "text": "SELECT * FROM cards WHERE no = ?",
                     "fetch": 1, "depth": 0, "p": [42, "secret-literal-9"]}]}
    tx.update(extra)
    return tx


def test_handshake_names_the_agent_and_stop_agent_stops_it(venv, make_home, collector):
    home = make_home(collector.port)
    r = start_agent(venv, home)
    assert "whatap_python started" in r.stderr
    collector.wait(lambda c: c.hellos, what="HELLO")
    hello = collector.hellos[0]
    pid = agent_pid_of(home)
    assert hello["objectName"] == "shop-0-1-gunicorn"  # {type}-{ip2}-{ip3}-{process} with 127.0.0.1
    assert hello["license"].startswith("tsl_testpcod_") and hello["proto"] == 1
    assert hello["pid"] == pid and hello["appName"] == "shop" and hello["processName"] == "gunicorn"
    ps = subprocess.run(["ps", "-ef"], capture_output=True, text=True).stdout
    assert any("whatap_python" in line and str(pid) in line.split()[1] for line in ps.splitlines())
    with open("/proc/%d/comm" % pid) as f:
        assert f.read().strip() == "whatap_python"
    log = boot_log(home)
    assert "Tapscope Python Agent (whatap-python) version" in log
    assert "WHATAP_HOME: %s" % home in log and "Config: %s/whatap.conf" % home in log
    assert "Logs: %s/logs" % home in log
    assert "connected to the collector at 127.0.0.1:%d as shop-0-1-gunicorn" % collector.port in log
    assert "AAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBBCCCCCC" not in log  # the key's secret never hits the log

    again = start_agent(venv, home)  # a second start reuses the running agent
    assert "already running (pid %d)" % pid in again.stderr

    stop = subprocess.run([os.path.join(venv, "bin", "whatap-stop-agent")], env=env_for(venv, home),
                          capture_output=True, text=True, timeout=30)
    assert stop.returncode == 0 and "whatap_python (pid %d) stopped" % pid in stop.stdout
    assert agent_pid_of(home) is None
    from whatap.process import _alive
    assert not _alive(pid)  # gone (or a zombie waiting for init)
    stop = subprocess.run([os.path.join(venv, "bin", "whatap-stop-agent")], env=env_for(venv, home),
                          capture_output=True, text=True, timeout=30)
    assert "not running" in stop.stdout


def test_parameters_are_encrypted_by_the_agent_before_leaving_the_host(venv, make_home, collector):
    home = make_home(collector.port, profile_http_parameter_enabled="true", profile_sql_param_enabled="true")
    start_agent(venv, home)
    key_file = os.path.join(home, "paramkey.txt")
    wait_for(lambda: os.path.exists(key_file), what="paramkey.txt")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    send(home, udp_wire.KIND_TX, a_tx("tx-params-0001", p={"card": ["4111-1111-1111-1111"], "q": ["x"]},
                                      params="CLEAR-INJECTED"))
    send(home, udp_wire.KIND_COUNTER, {"time": 1, "tps": 1.0, "txCount": 5, "dropped": 0}, pid=5151)
    collector.wait(lambda c: "tx-params-0001" in c.txs and c.counters, what="the transaction and counter")
    tx = collector.txs["tx-params-0001"]
    with open(key_file) as f:
        key = f.read().strip()
    assert paramkey.open_envelope(key, tx["params"]) == {"card": ["4111-1111-1111-1111"], "q": ["x"]}
    assert paramkey.open_envelope(key, tx["steps"][0]["params"]) == [42, "secret-literal-9"]
    assert "p" not in tx and "p" not in tx["steps"][0]
    raw = bytes(collector.raw)
    for clear in (b"4111-1111", b"secret-literal-9", b"CLEAR-INJECTED", key.encode()):
        assert clear not in raw
    assert collector.counters[0]["pid"] == 5151 and collector.counters[0]["txCount"] == 5


def test_parameters_are_dropped_when_collection_is_off(venv, make_home, collector):
    home = make_home(collector.port)
    start_agent(venv, home)
    send(home, udp_wire.KIND_TX, a_tx("tx-noparams-01", p={"card": ["4111"]}))
    collector.wait(lambda c: "tx-noparams-01" in c.txs, what="the transaction")
    tx = collector.txs["tx-noparams-01"]
    assert tx["params"] is None and tx["steps"][0]["params"] is None
    assert b"4111" not in bytes(collector.raw)


def test_unacknowledged_batches_are_resent_after_a_reconnect(venv, make_home, collector):
    collector.drop_before_ack = 1
    home = make_home(collector.port)
    start_agent(venv, home)
    collector.wait(lambda c: c.hellos, what="HELLO")
    for i in range(5):
        send(home, udp_wire.KIND_TX, a_tx("tx-resend-%04d" % i))
    collector.wait(lambda c: len(c.txs) == 5, what="all 5 transactions after the resend")
    assert collector.connections >= 2
    assert collector.tx_receipts >= 5
    assert "connection to the collector at 127.0.0.1:%d lost" % collector.port in boot_log(home)


def test_busy_answers_are_retried(venv, make_home, collector):
    collector.busy = 2
    home = make_home(collector.port)
    start_agent(venv, home)
    collector.wait(lambda c: c.hellos, what="HELLO")
    send(home, udp_wire.KIND_TX, a_tx("tx-busy-00001"))
    collector.wait(lambda c: "tx-busy-00001" in c.txs, what="the transaction after BUSY")
    assert len([b for b in collector.batches if b[0] == 0x10]) >= 3


def test_a_refused_license_is_written_in_plain_words(venv, make_home):
    fc = FakeCollector(refuse=("license_unknown", "no such license key; issue one in the console"))
    try:
        home = make_home(fc.port)
        start_agent(venv, home)
        wait_for(lambda: "refused this agent" in boot_log(home), what="the REFUSE line")
        assert ("the collector at 127.0.0.1:%d refused this agent: no such license key; issue one in the console "
                "(license_unknown)" % fc.port) in boot_log(home)
    finally:
        fc.close()


def test_unreachable_hosts_are_logged_and_the_next_host_is_used(venv, make_home, collector):
    home = make_home(collector.port, whatap__server__host="127.0.0.2,127.0.0.1")
    start_agent(venv, home)
    collector.wait(lambda c: c.hellos, what="HELLO through the second host")
    log = boot_log(home)
    assert "cannot connect to 127.0.0.2:%d: Connection refused" % collector.port in log
    assert "connected to the collector at 127.0.0.1:%d" % collector.port in log


def test_transactions_wait_for_a_collector_that_comes_up_later(venv, make_home):
    port = free_port()
    home = make_home(port)
    start_agent(venv, home)
    for i in range(3):
        send(home, udp_wire.KIND_TX, a_tx("tx-later-%04d" % i))
    send(home, udp_wire.KIND_TX, a_tx("tx-later-0003"))
    channel = channel_to(home)
    assert channel.send([b"garbage that is not a datagram"])
    channel.after_fork()
    wait_for(lambda: "cannot connect to 127.0.0.1:%d" % port in boot_log(home), what="the connect error")
    fc = FakeCollector(port=port)
    try:
        fc.wait(lambda c: len(c.txs) == 4, timeout=40, what="the queued transactions")
        # The agent puts its own drops on the counter of the 5 s slot they happened in (a tracer stamps
        # its counter with the end of its window, as here).
        wait_for(lambda: send(home, udp_wire.KIND_COUNTER, {"time": (int(time.time() // 5) + 1) * 5000,
                                                            "txCount": 0, "dropped": 0})
                 or time.sleep(0.5) or any(c["dropped"] >= 1 for c in fc.counters), timeout=30,
                 what="a counter carrying the garbage datagram in dropped")
    finally:
        fc.close()


def test_each_home_has_its_own_socket_and_whatap_conf_is_left_alone(venv, make_home, collector):
    homes = [make_home(collector.port, app_process_name="p%d" % i) for i in range(2)]
    before = [open(os.path.join(h, "whatap.conf")).read() for h in homes]
    for i, home in enumerate(homes):
        r = start_agent(venv, home)
        assert "Unix socket %s/run/agent.sock" % home in r.stderr
        send(home, udp_wire.KIND_TX, a_tx("tx-home-%04d" % i))
    for home in homes:
        run = os.stat(os.path.join(home, "run"))
        sock = os.stat(os.path.join(home, "run", "agent.sock"))
        assert stat.S_IMODE(run.st_mode) == 0o700 and stat.S_ISSOCK(sock.st_mode)
        assert stat.S_IMODE(sock.st_mode) == 0o600 and sock.st_uid == run.st_uid == os.geteuid()
    assert [open(os.path.join(h, "whatap.conf")).read() for h in homes] == before  # no port written back
    collector.wait(lambda c: len(c.txs) == 2 and len(c.hellos) >= 2, what="both agents")
    assert sorted(h["objectName"] for h in collector.hellos) == ["shop-0-1-p0", "shop-0-1-p1"]


def test_the_app_starts_even_when_the_agent_cannot(venv, make_home, tmp_path):
    home = make_home(net_udp_port=free_port(socket.SOCK_DGRAM))
    blocker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blocker.bind(("127.0.0.1", udp_port(home)))  # someone else has our UDP port
    try:
        proc = subprocess.Popen([os.path.join(venv, "bin", "whatap-start-agent"), "/usr/bin/python3", "-c",
                                 "import os; print('app pid', os.getpid())"],
                                env=env_for(venv, home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=60)
    finally:
        blocker.close()
    assert proc.returncode == 0
    assert "app pid %d" % proc.pid in out  # exec: the app has the command's PID
    assert "continuing to start the application" in err
    assert "cannot listen on UDP 127.0.0.1:%d" % udp_port(home) in boot_log(home)


def test_start_agent_prints_usage_without_a_command(venv, tmp_path):
    r = subprocess.run([os.path.join(venv, "bin", "whatap-start-agent")], env=env_for(venv, str(tmp_path)),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "usage: whatap-start-agent" in r.stdout


def test_without_cryptography_parameters_are_not_collected_and_the_boot_log_says_so(venv, make_home, collector,
                                                                                      procs, tmp_path):
    home = make_home(collector.port, profile_http_parameter_enabled="true")
    shadow = tmp_path / "shadow" / "cryptography"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('cryptography is not installed here')\n")
    env = env_for(venv, home, PYTHONPATH=str(tmp_path / "shadow"))
    agent = procs.start([os.path.join(venv, "bin", "python"), "-m", "whatap.whatap_python", "--home", home],
                        env=env, log_path=str(tmp_path / "agent.out"))
    wait_for(lambda: agent_pid_of(home) == agent.pid, what="the agent in the foreground")
    send(home, udp_wire.KIND_TX, a_tx("tx-nocrypto-01", p={"card": ["4111"]}))
    collector.wait(lambda c: "tx-nocrypto-01" in c.txs, what="the transaction")
    assert collector.txs["tx-nocrypto-01"]["params"] is None
    assert b"4111" not in bytes(collector.raw)
    assert "the cryptography package is not available" in boot_log(home)
    assert "parameters are not collected" in boot_log(home)
