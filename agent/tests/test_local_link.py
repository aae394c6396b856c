"""Attacks on the app host by another local user ('nobody'; these tests need root): the agent's
files, its tracer link (Unix socket by default, sealed UDP with net_udp_port) and parameters."""
import os
import shutil
import socket
import stat
import subprocess
import tempfile

import pytest

from conftest import (AGENT, PYTHON, agent_pid_of, as_nobody, boot_log, env_for, free_port, send_message,
                      stop_agent_of, wait_for, write_conf)
from test_agent_process import a_tx, start_agent
from whatap import udp_wire

NOBODY = 65534

PLANT_REGISTRY = r"""
import os, sys
tmpdir, target, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = os.path.join(tmpdir, "whatap-python")
os.mkdir(d)
os.chmod(d, 0o1777)
for name in ["udp-ports.json", "udp-ports.lock"] + ["udp-ports.json.%d" % p for p in range(first, first + 5000)]:
    os.symlink(target, os.path.join(d, name))
print("planted")
"""

PLANT_RUN_DIR = r"""
import os, sys
run, target = sys.argv[1], sys.argv[2]
os.mkdir(run)
os.chmod(run, 0o777)
for name in ("agent.sock", "link.key", "link.key.tmp", "agent.sock.tmp"):
    os.symlink(target, os.path.join(run, name))
print("planted")
"""

FORGE = r"""
import errno, json, os, socket, struct, sys
path, ports = sys.argv[1], [int(p) for p in sys.argv[2].split(",") if p]
def datagram(txid):
    tx = {"txid": txid, "url": "/forged", "method": "GET", "status": 200, "elapsed": 1, "p": {"q": ["injected"]}}
    return struct.pack(">4sBIHHI", b"WTP1", 1, 7, 0, 1, 4242) + json.dumps(tx).encode()
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.send(datagram("tx-forged-unix"))
    print("unix: sent")
except OSError as e:
    print("unix:", errno.errorcode.get(e.errno, e.errno))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port in ports:
    u.sendto(datagram("tx-forged-plain"), ("127.0.0.1", port))
    u.sendto(b"WTS1" + os.urandom(12) + datagram("tx-forged-sealed") + os.urandom(16), ("127.0.0.1", port))
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = os.urandom(12)
    body = struct.pack(">d", __import__("time").time()) + datagram("tx-forged-otherkey")
    u.sendto(b"WTS1" + nonce + AESGCM(os.urandom(32)).encrypt(nonce, body, b"WTS1"), ("127.0.0.1", port))
    print("udp %d: sent" % port)
"""

SNIFF = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("bound", flush=True)
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65535))
"""

APP = r"""
import io, sqlite3, time
import whatap
from whatap.tracer import boot

@whatap.register_app
def app(environ, start_response):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE cards (no TEXT)")
    db.execute("SELECT no FROM cards WHERE no = ?", ("4111-1111-1111-1111",)).fetchall()
    start_response("200 OK", [])
    return [b"ok"]

environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/checkout", "QUERY_STRING": "card=4111-1111-1111-1111",
           "wsgi.input": io.BytesIO(), "REMOTE_ADDR": "10.0.0.1"}
result = app(environ, lambda *a: None)
b"".join(result)
result.close()
sender = boot.tracer().sender
deadline = time.monotonic() + 20
while sender.sent < 1 and time.monotonic() < deadline:
    time.sleep(0.1)
    sender.drain()
print("sent", sender.sent)
"""

SWITCHING_WORKER = r"""
import os, socket, sys
home = sys.argv[1]
from whatap import link_seal, rundir, udp_wire
fd = rundir.prepare_for_agent(home, [])
key = rundir.agent_key(fd, home, [])  # what the agent process (root) does at start
os.close(fd)
sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sink.bind(("127.0.0.1", 0))
sink.settimeout(20)
with open(os.path.join(home, "whatap.conf"), "w") as f:
    f.write("net_udp_port=%d\nagent_autostart=false\n" % sink.getsockname()[1])
from whatap.tracer import boot
tracer = boot.boot("test")  # the server's master, as root
pid = os.fork()
if pid == 0:  # a worker that switches user, like gunicorn --user nobody
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    tracer.sender.put(udp_wire.KIND_TX, {"txid": "from-the-worker"})
    tracer.sender.drain()
    os._exit(0 if tracer.sender.sent == 1 else 1)
assert os.waitpid(pid, 0)[1] == 0, "the worker could not send"
print(link_seal.Opener(key).open(sink.recv(65535))[udp_wire.HEADER.size:].decode())
"""


def attacker(script, *args, **kw):
    return subprocess.run([PYTHON, "-c", script] + [str(a) for a in args], preexec_fn=as_nobody(), cwd="/",
                          env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60, **kw)


@pytest.fixture
def shared_home():
    """Homes in a directory everyone may traverse: only the agent's own checks keep 'nobody' out."""
    as_nobody()  # skips unless root
    base = tempfile.mkdtemp(prefix="whatap-link-", dir="/tmp")
    os.chmod(base, 0o755)
    homes = []

    def make(collector_port, **options):
        home = os.path.join(base, "home%d" % len(homes))
        write_conf(home, license="tsl_testpcod_AAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBBCCCCCC",
                   whatap__server__host="127.0.0.1", whatap__server__port=collector_port, app_name="shop",
                   app_process_name="gunicorn", agent_autostart="false", **options)
        os.chmod(home, 0o755)
        homes.append(home)
        return home
    yield make
    for home in homes:
        stop_agent_of(home)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def root_file(tmp_path):
    """A file only root may read or write: what a symlink attack aims at."""
    path = tmp_path / "root-only"
    path.write_text("root secret\n")
    os.chmod(path, 0o600)
    return path


def unchanged(path):
    st = os.stat(path)
    return stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0 and path.read_text() == "root secret\n"


def udp_ports_of(pid):
    """The UDP ports a process listens on (from /proc), so a forged datagram goes nowhere else."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    ports = []
    with open("/proc/net/udp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.append(int(fields[1].split(":")[1], 16))
    return ports


def test_symlinks_in_the_shared_tmp_directory_are_never_followed(venv, shared_home, collector, root_file):
    tmpdir = tempfile.mkdtemp(prefix="whatap-tmp-", dir="/tmp")
    os.chmod(tmpdir, 0o1777)
    try:
        with open("/proc/sys/kernel/ns_last_pid") as f:
            first = int(f.read()) + 1
        # Where the agent kept its port registry: links named like its temp files, to a root file.
        assert "planted" in attacker(PLANT_REGISTRY, tmpdir, root_file, first).stdout
        home = shared_home(collector.port)
        start_agent(venv, home, {"TMPDIR": tmpdir})
        assert unchanged(root_file)
        send_message(home, udp_wire.KIND_TX, a_tx("tx-after-plant-01"))
        collector.wait(lambda c: "tx-after-plant-01" in c.txs, what="the transaction")
        assert unchanged(root_file)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


@pytest.mark.parametrize("udp", [False, True], ids=["unix-socket", "net_udp_port"])
def test_a_run_directory_planted_by_another_user_is_refused(venv, shared_home, collector, root_file, udp):
    home = shared_home(collector.port, **({"net_udp_port": free_port(socket.SOCK_DGRAM)} if udp else {}))
    os.chmod(home, 0o777)  # a home others could write to at some point
    run = os.path.join(home, "run")
    assert "planted" in attacker(PLANT_RUN_DIR, run, root_file).stdout
    start_agent(venv, home)
    send_message(home, udp_wire.KIND_TX, a_tx("tx-after-run-01"))
    collector.wait(lambda c: "tx-after-run-01" in c.txs, what="the transaction")
    assert unchanged(root_file)
    log = boot_log(home)
    assert "refused %s: it belongs to uid %d, not to this agent's user (uid 0)" % (run, NOBODY) in log
    st = os.lstat(run)
    assert stat.S_ISDIR(st.st_mode) and st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o700
    aside = [n for n in os.listdir(home) if n.startswith("run.untrusted-")]
    assert len(aside) == 1 and os.lstat(os.path.join(home, aside[0])).st_uid == NOBODY
    assert sorted(os.listdir(os.path.join(home, aside[0]))) == ["agent.sock", "agent.sock.tmp", "link.key",
                                                                 "link.key.tmp"]


def test_another_user_cannot_reach_the_agent_socket(venv, shared_home, collector):
    home = shared_home(collector.port)
    start_agent(venv, home)
    pid = wait_for(lambda: max(agent_pid_of(home) or 0, 0), what="the agent's pid")
    ports = udp_ports_of(pid)  # none now; the agent used to listen on UDP by default
    r = attacker(FORGE, os.path.join(home, "run", "agent.sock"), ",".join(map(str, ports)))
    assert "unix: EACCES" in r.stdout, r.stdout + r.stderr
    send_message(home, udp_wire.KIND_TX, a_tx("tx-genuine-0001"))
    collector.wait(lambda c: "tx-genuine-0001" in c.txs, what="the genuine transaction")
    assert [t for t in collector.txs if "forged" in t] == [] and b"injected" not in bytes(collector.raw)


def test_forged_udp_datagrams_are_dropped_and_counted(venv, shared_home, collector):
    port = free_port(socket.SOCK_DGRAM)
    home = shared_home(collector.port, net_udp_port=port, profile_http_parameter_enabled="true")
    start_agent(venv, home)
    r = attacker(FORGE, "/nonexistent", port)
    assert "udp %d: sent" % port in r.stdout, r.stdout + r.stderr
    send_message(home, udp_wire.KIND_TX, a_tx("tx-genuine-0002"))
    collector.wait(lambda c: "tx-genuine-0002" in c.txs, what="the genuine transaction")
    line = wait_for(lambda: [x for x in boot_log(home).splitlines() if "refused" in x and "message(s)" in x],
                    what="the refusal count in the boot log")[0]
    assert "on the UDP 127.0.0.1:%d" % port in line and "forged" not in line and "injected" not in line
    assert [t for t in collector.txs if "forged" in t] == [] and b"injected" not in bytes(collector.raw)


def test_a_port_taken_before_the_agent_receives_no_clear_parameter(venv, shared_home, collector, procs, tmp_path):
    port = free_port(socket.SOCK_DGRAM)
    home = shared_home(collector.port, net_udp_port=port, profile_http_parameter_enabled="true",
                       profile_sql_param_enabled="true")
    loot = tempfile.mkdtemp(prefix="whatap-loot-", dir="/tmp")
    os.chmod(loot, 0o777)
    try:
        sniffer = subprocess.Popen([PYTHON, "-c", SNIFF, str(port), os.path.join(loot, "captured")],
                                   preexec_fn=as_nobody(), cwd="/", env={"PATH": "/usr/bin:/bin"},
                                   stdout=subprocess.PIPE, text=True, start_new_session=True)
        procs.procs.append(sniffer)
        assert sniffer.stdout.readline().strip() == "bound"
        app = subprocess.run([os.path.join(venv, "bin", "whatap-start-agent"), os.path.join(venv, "bin", "python"),
                              "-c", APP], env=env_for(venv, home), capture_output=True, text=True, timeout=60)
        assert "sent 1" in app.stdout, app.stdout + app.stderr
        assert "cannot listen on UDP 127.0.0.1:%d" % port in boot_log(home)
        captured = os.path.join(loot, "captured")
        wait_for(lambda: os.path.exists(captured) and os.path.getsize(captured) > 0, what="captured datagrams")
        with open(captured, "rb") as f:
            data = f.read()
        for clear in (b"4111-1111", b"FROM cards", b"/checkout", b"WTP1"):
            assert clear not in data
    finally:
        shutil.rmtree(loot, ignore_errors=True)


def test_workers_that_switch_user_keep_sending_with_net_udp_port(shared_home):
    home = shared_home(1)
    os.makedirs(os.path.join(home, "logs"), mode=0o777)
    os.chmod(os.path.join(home, "logs"), 0o777)
    r = subprocess.run([PYTHON, "-c", SWITCHING_WORKER, home], capture_output=True, text=True, timeout=60,
                       env={"PATH": "/usr/bin:/bin", "WHATAP_HOME": home, "WHATAP_AUTOBOOT": "0",
                            "PYTHONPATH": os.path.join(AGENT, "src"), "PYTHONDONTWRITEBYTECODE": "1"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == '{"txid":"from-the-worker"}'
