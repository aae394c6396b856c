"""The agent process (``whatap_python``): one per ``$WHATAP_HOME``.

Receives the tracers' messages (its Unix socket in $WHATAP_HOME/run, or sealed UDP on
net_udp_port: receiver.py), joins chunks, encrypts parameter values with the paramkey (nothing
leaves the host in clear), and hands transactions and counters to the collector link. It
re-reads whatap.conf and paramkey.txt when they change.
"""
import json
import os
import platform
import signal
import socket
import sys
import time

from .. import conf as confmod
from .. import paramkey, rundir
from ..udp_wire import KIND_COUNTER, KIND_TX, KIND_TX_ROWS, Reassembler, tx_from_row
from ..version import __version__
from .link import Link
from .outbox import Outbox
from .receiver import open_receiver
from .sanitize import clean_counter, clean_tx

TEXT_LIMIT = 16000
PARAMS_LIMIT = 48000


class Settings:
    """An immutable snapshot of what the link needs; a new generation on every change."""

    def __init__(self, home, conf, generation):
        self.generation = generation
        self.conf_path = home.conf
        self.license = conf["license"]
        self.hosts = conf["whatap.server.host"]
        self.port = conf["whatap.server.port"]
        self.tls = conf["whatap.server.tls"]
        self.tls_ca = conf["whatap.server.tls_ca"]
        ip = confmod.local_ip(self.hosts[0] if self.hosts else None)
        self.hello = {
            "proto": 1, "license": self.license, "objectName": confmod.object_name(conf, ip=ip),
            "appName": conf["app_name"], "processName": conf["app_process_name"],
            "hostname": socket.gethostname(), "ip": ip, "pid": os.getpid(),
            "agentVersion": __version__, "pythonVersion": platform.python_version(),
        }


class Agent:
    def __init__(self, home, log):
        self.home = home
        self.log = log
        self.conf = confmod.Config()
        self.conf_mtime = None
        self.generation = 0
        self.current = None
        self.sealer = None
        self.sealer_problem = None
        self.key_mtime = None
        self.outbox = Outbox()
        self.reassembler = Reassembler()
        self.link = None
        self.receiver = None
        self.running = True
        self.sealed = 0
        self.refused = 0
        self.refused_logged = None

    # -- configuration -----------------------------------------------------------------------
    def load_conf(self, first=False):
        mtime = confmod.mtime_of(self.home.conf)
        if not first and mtime == self.conf_mtime:
            return False
        self.conf_mtime = mtime
        try:
            conf = confmod.read(self.home.conf)
        except confmod.ConfError as e:
            self.log.hook("CONF READ ERROR", "%s. Give the agent's user read permission." % e)
            return False
        if conf is None:
            self.log.hook("CONF FILE ERROR", "%s does not exist; run whatap-setting-config" % self.home.conf)
            conf = confmod.Config()
        for problem in conf.problems:
            self.log.boot(problem)
        if not first:
            self.log.boot("whatap.conf changed: configuration reloaded")
            if _udp_port(conf) != _udp_port(self.conf):
                self.log.boot("net_udp_port changed in whatap.conf: it takes effect when whatap_python is "
                              "restarted (whatap-stop-agent, then start the app)")
        self.conf = conf
        self.generation += 1
        self.current = Settings(self.home, conf, self.generation)
        return True

    def settings(self):
        return self.current

    def setup_outbox(self, notes):
        """The send buffer: memory, then the spool in $WHATAP_HOME/spool (docs/agent.md "Outages")."""
        conf = self.conf
        self.outbox = Outbox(max_txs=conf["net_send_queue_size"], log=self.log)
        memory = "up to %d transactions wait in memory during an outage, beyond that new ones are dropped" \
            % conf["net_send_queue_size"]
        if not conf["spool_enabled"]:
            notes.append("the spool is off (spool_enabled=false): " + memory)
            return
        where = os.path.join(self.home.path, rundir.SPOOL_DIR)
        fd = None
        try:
            fd = rundir.prepare_for_agent(self.home.path, notes, rundir.SPOOL_DIR)
            _probe(fd)
            self.outbox.attach_spool(fd, conf["spool_max_mb"] << 20, where, notes)
        except OSError as e:
            if fd is not None:
                os.close(fd)
            notes.append("the spool %s cannot be used (%s): %s" % (where, e.strerror or e, memory))
            return
        notes.append("spool: %s, up to %d MB, used when more than %d transactions wait to be sent"
                     % (where, conf["spool_max_mb"], conf["net_send_queue_size"]))

    def wants_params(self):
        return self.conf["profile_http_parameter_enabled"] or self.conf["profile_sql_param_enabled"]

    def load_key(self):
        """Derives the parameter key (once per process, again only if paramkey.txt changes)."""
        mtime = confmod.mtime_of(self.home.paramkey)
        if self.key_mtime is not None and mtime == self.key_mtime:
            return
        self.key_mtime = mtime
        if paramkey.CRYPTO_ERROR:
            self.sealer, self.sealer_problem = None, (
                "the cryptography package is not available (%s): parameters are not collected"
                % paramkey.CRYPTO_ERROR)
            self.log.boot(self.sealer_problem)
            return
        key, notes = paramkey.load_or_create(self.home.paramkey)
        for note in notes:
            self.log.boot(note)
        self.key_mtime = confmod.mtime_of(self.home.paramkey)
        if key is None:
            self.sealer = None
            return
        started = time.monotonic()
        self.sealer = paramkey.Sealer(key)
        self.log.boot("parameter encryption ready (AES-256-GCM, key derived in %.0f ms)"
                      % ((time.monotonic() - started) * 1000))

    # -- datagrams ---------------------------------------------------------------------------
    def on_datagram(self, data, now):
        got = self.reassembler.feed(data, now)
        if got is None:
            return
        kind, pid, payload = got
        try:
            obj = json.loads(payload.decode("utf-8"))
        except ValueError:
            self.reassembler.malformed += 1
            return
        if kind == KIND_TX_ROWS:
            if not isinstance(obj, list):
                self.reassembler.malformed += 1
                return
            for row in obj:
                self.on_tx(tx_from_row(row))
        elif not isinstance(obj, dict):
            self.reassembler.malformed += 1
        elif kind == KIND_TX:
            self.on_tx(obj)
        elif kind == KIND_COUNTER:
            self.outbox.add_counter(clean_counter(obj, pid))

    def on_tx(self, raw):
        tx = clean_tx(raw) if isinstance(raw, dict) else None
        if tx is None:
            self.reassembler.malformed += 1
            return
        self.outbox.add_tx(json.dumps(self.seal_tx(tx), separators=(",", ":")).encode("utf-8"))

    def _seal(self, value, enabled):
        """The envelope for a clear value, or None; clear values never go further than here."""
        if value is None or value == [] or value == {} or not enabled:
            return None
        if self.sealer is None:
            if self.key_mtime is None:
                self.load_key()
            if self.sealer is None:
                return None
        if len(paramkey.to_json(value)) > PARAMS_LIMIT:
            value = {"truncated": True} if isinstance(value, dict) else ["(truncated)"]
        self.sealed += 1
        return self.sealer.seal(value)

    def seal_tx(self, tx):
        http_on = self.conf["profile_http_parameter_enabled"]
        sql_on = self.conf["profile_sql_param_enabled"]
        tx["params"] = self._seal(tx.pop("p", None), http_on)
        for step in tx.get("steps") or ():
            if isinstance(step, dict):
                clear = step.pop("p", None)
                if "params" in step or clear is not None:
                    step["params"] = self._seal(clear, sql_on)
        return tx

    # -- main loop ---------------------------------------------------------------------------
    def serve(self, receiver):
        self.receiver = receiver
        if self.wants_params():
            self.load_key()
        self.link = Link(self.outbox, self.settings, self.log)
        self.link.start()
        last_check = time.monotonic()
        while self.running:
            try:
                for data in receiver.poll(0.5):
                    self.on_datagram(data, time.monotonic())
            except OSError as e:
                self.log.boot("receive error on the %s: %s" % (receiver.description, e))
                time.sleep(0.1)
            except Exception as e:  # one bad datagram must not stop the agent
                self.reassembler.malformed += 1
                self.log.boot("dropped a datagram: %s: %s" % (type(e).__name__, e))
            now = time.monotonic()
            if now - last_check >= 1.0:
                last_check = now
                self.periodic(now)
        self.link.stop(timeout=3.0)
        receiver.close()
        if not self.link.is_alive():
            saved = self.outbox.save(self.link.unsent())
            if saved:
                self.log.boot("%d transactions not sent yet were written to the spool: they are sent after the "
                              "next start" % saved)
        self.outbox.close()
        self.log.boot("whatap_python stopped (pid %d)" % os.getpid())

    def periodic(self, now):
        self.reassembler.expire(now)
        lost = self.reassembler.dropped + self.reassembler.malformed
        if lost:
            self.outbox.drop(lost)
            self.reassembler.dropped = self.reassembler.malformed = 0
        self.load_conf()
        if self.wants_params() and self.sealer_problem is None:
            self.load_key()
        self.report_refused(now)

    def report_refused(self, now):
        """Forged or foreign messages are dropped; the boot log counts them, at most once a minute."""
        if self.receiver is not None:
            self.refused += self.receiver.take_refused()
        if self.refused and (self.refused_logged is None or now - self.refused_logged >= 60.0):
            self.refused_logged = now
            self.log.boot("refused %d message(s) on the %s that did not come from this home's tracers "
                          "(not sealed with its link key, stale, replayed, or from another user); "
                          "they were dropped" % (self.refused, self.receiver.description))
            self.refused = 0


def set_process_name(name):
    """Shows ``name`` as the process name (``ps -e``, ``killall``); cmdline already carries it."""
    try:
        import ctypes
        libc = ctypes.CDLL(None)
        libc.prctl(15, name.encode("ascii"), 0, 0, 0)  # PR_SET_NAME
    except Exception:
        pass


def run(home, log, ready):
    """``ready(line)`` tells the launcher how the start went (READY/RUNNING/FAIL)."""
    import fcntl
    from ..process import agent_pid
    pid_fd = os.open(home.pidfile, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(pid_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        ready("RUNNING %d" % (agent_pid(home) or -1))
        return 0
    log.prune()
    agent = Agent(home, log)
    agent.load_conf(first=True)
    log.banner(["Python: %s %s" % (platform.python_implementation(), platform.python_version()),
                "pid: %d" % os.getpid()])
    notes = []
    try:
        receiver = open_receiver(home, agent.conf, notes)
    except OSError as e:
        for note in notes:
            log.boot(note)
        log.boot("whatap_python cannot start: %s" % (e.strerror or e))
        ready("FAIL %s" % (e.strerror or e))
        return 1
    agent.setup_outbox(notes)
    for note in notes:
        log.boot(note)
    os.ftruncate(pid_fd, 0)
    os.write(pid_fd, ("%d\n" % os.getpid()).encode())
    s = agent.current
    log.boot("whatap_python started: %s, collector %s port %d, object name %s, license %s"
             % (receiver.description, ",".join(s.hosts), s.port, s.hello["objectName"], _license_hint(s.license)))
    if paramkey.CRYPTO_ERROR:
        log.boot("the cryptography package is not available (%s): parameters are not collected"
                 % paramkey.CRYPTO_ERROR)

    def on_signal(signum, frame):
        agent.running = False

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    ready("READY %d %s" % (os.getpid(), receiver.where))
    try:
        agent.serve(receiver)
    finally:
        try:
            os.ftruncate(pid_fd, 0)
        except OSError:
            pass
        os.close(pid_fd)
    return 0


def _probe(dir_fd):
    """Raises OSError when no file can be made in the spool directory."""
    name = ".probe-%d" % os.getpid()
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dir_fd)
    os.close(fd)
    os.unlink(name, dir_fd=dir_fd)


def _udp_port(conf):
    return conf["net_udp_port"] if "net_udp_port" in conf.explicit else None


def _license_hint(key):
    """Only the public prefix of a key is ever logged."""
    if not key:
        return "(not set)"
    parts = key.split("_")
    if len(parts) >= 3 and parts[0] == "tsl":
        return "%s_%s_%s..." % (parts[0], parts[1], parts[2][:8])
    return "(set, %d characters)" % len(key)


def main_loop_safe(home, log, ready):
    try:
        return run(home, log, ready)
    except Exception as e:
        import traceback
        log.boot("whatap_python failed: %s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()))
        ready("FAIL %s: %s" % (type(e).__name__, e))
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run: python -m whatap.whatap_python --home <WHATAP_HOME>")
