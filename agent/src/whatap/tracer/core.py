"""The tracer of one app process: starts and finishes transactions, ships them to the agent."""
import os
import random
import threading
import time
from urllib.parse import parse_qsl

from .. import conf as confmod
from .. import udp_wire
from ..hooks import failed as hook_failed
from ..wire_model import ERROR_STATUS, MAX_STEPS
from . import trace_context, values
from .counters import Counters
from .naming import Names
from .sender import Sender
from .transaction import Transaction, perf, thread_time

BASETIME_WINDOW = 300.0


class Tracer:
    def __init__(self, home, conf, log):
        self.home = home
        self.log = log
        self.apply(conf)
        self.counters = Counters(conf["apdex_time"], conf["trace_active_transaction_slow_time"],
                                 conf["trace_active_transaction_very_slow_time"])
        self.sender = Sender(on_tick=self.tick)
        self.seen = False
        self.pid = os.getpid()
        self.agent_checked = None
        self.conf_mtime = conf.mtime
        self._new_ids()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self.after_fork)

    def apply(self, conf):
        """Takes a snapshot of the options read on every request."""
        self.conf = conf
        self.enabled = conf["enabled"]
        self.ignore_prefixes = tuple(conf["trace_ignore_url_prefix"])
        self.static_ext = frozenset(e.lower().lstrip(".") for e in conf["web_static_content_extensions"])
        self.basetime = conf["profile_basetime"]
        # One place is kept for the closing "truncated" step: the protocol takes MAX_STEPS in all.
        self.step_max = min(max(1, conf["profile_step_max_count"]), MAX_STEPS - 1)
        self.http_params = conf["profile_http_parameter_enabled"]
        self.sql_params = conf["profile_sql_param_enabled"]
        self.mtrace = conf["mtrace_enabled"]
        self.mtrace_skip_hosts = frozenset(h.lower() for h in conf["mtrace_skip_hosts"])
        self.recent_urls = {}
        self.names = Names(conf["trace_normalize_urls"], conf["stat_tx_max_count"])

    def _new_ids(self):
        self.id_base = random.getrandbits(64)
        self.id_next = 0

    def after_fork(self):
        self.pid = os.getpid()
        self._new_ids()
        self.counters.reset()
        self.sender.after_fork()
        self.seen = False

    def next_txid(self):
        self.id_next += 1
        return "%016x" % ((self.id_base + self.id_next) & 0xFFFFFFFFFFFFFFFF)

    # -- transactions ----------------------------------------------------------------------
    def start(self, environ):
        """A new transaction for a WSGI request, or None when it is not traced."""
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        try:  # PEP 3333 strings are latin-1 decoded bytes
            path = path.encode("latin-1").decode("utf-8", "replace")
        except UnicodeError:
            pass
        return self.begin(path, environ.get("REQUEST_METHOD", "GET"), environ.get("REMOTE_ADDR", ""),
                          environ.get("HTTP_USER_AGENT", ""), environ.get("QUERY_STRING"),
                          traceparent=environ.get("HTTP_TRACEPARENT"), tracestate=environ.get("HTTP_TRACESTATE"))

    def begin(self, path, method, remote="", user_agent="", query=None, task_cpu=False, traceparent=None,
              tracestate=None):
        """A new transaction named ``path`` (a URL path, or a task's name), or None when it is
        not traced (tracing off, ignored prefix, static file). Every entry point (WSGI, ASGI,
        task queues) starts its transactions here; ``finish`` ends them. ``task_cpu``: the
        CPU is counted by the caller per step of an asyncio task (tracer/asgi.py).
        ``traceparent``/``tracestate``: the request's W3C trace context headers; a valid
        ``traceparent`` makes the transaction join that trace (with ``mtrace_enabled``)."""
        if not self.enabled:
            return None
        if self.pid != os.getpid():  # forked without os.register_at_fork hooks (uWSGI)
            self.after_fork()
        if self.ignore_prefixes and path.startswith(self.ignore_prefixes):
            return None
        dot = path.rfind(".")
        if dot > path.rfind("/") and path[dot + 1:].lower() in self.static_ext:
            return None
        if not self.seen:
            self.first_request()
        tx = Transaction(self, self.next_txid(), values.text(path or "/", 2048), (method or "GET")[:16],
                         (remote or "")[:64], values.text(user_agent or "", 512), task_cpu)
        if self.mtrace:
            self._join_trace(tx, traceparent, tracestate)
        if self.http_params and query:
            tx.add_params(values.http_params(parse_qsl(query, keep_blank_values=True)))
        self.counters.active[id(tx)] = tx.t0
        return tx

    @staticmethod
    def _join_trace(tx, traceparent, tracestate):
        """The trace of ``tx``: the caller's when its header is valid, else a new one."""
        try:
            joined = trace_context.parse(traceparent) if traceparent else None
            if joined is None:
                tx.trace_id = trace_context.new_trace_id()
            else:
                tx.trace_id, tx.parent_span_id = joined
                tx.tracestate = trace_context.clean_tracestate(tracestate)
            tx.span_id = trace_context.new_span_id()
        except Exception as e:
            hook_failed("trace context", e)
            tx.trace_id = tx.span_id = tx.parent_span_id = tx.tracestate = None

    def finish(self, tx):
        if tx.done:
            return
        tx.done = True
        elapsed = (perf() - tx.t0) * 1000.0
        # An async request shares its thread with every other request on the loop: its CPU
        # is the sum over its own task's steps (tracer/asgi.py), never thread time across awaits.
        if tx.task_cpu is None:
            cpu = (thread_time() - tx.cpu0) * 1000.0
        elif tx.cpu0 is None:  # between steps
            cpu = tx.task_cpu * 1000.0
        else:  # inside a step: count it so far, and restart its clock here (Transaction.restart)
            now = thread_time()
            cpu = (tx.task_cpu + now - tx.cpu0) * 1000.0
            tx.cpu0 = now
        self.counters.active.pop(id(tx), None)
        tx.url = self.names.name(tx.url, values.text(tx.route, 2048) if tx.route else None)
        # The collector decides the stored error and its label (an HTTP status of ERROR_STATUS or
        # more without an exception reads "HTTP <status>"); the agent only counts failures by the same rule.
        failed = tx.error is not None or tx.status >= ERROR_STATUS
        self.counters.done(tx, elapsed, failed)
        if self.basetime > 0 and elapsed < self.basetime and not failed:
            # Fast transactions: only the first per URL every 5 minutes keeps its profile.
            now = time.monotonic()
            last = self.recent_urls.get(tx.url)
            if last is not None and now - last < BASETIME_WINDOW:
                return
            if len(self.recent_urls) > 5000:
                self.recent_urls.clear()
            self.recent_urls[tx.url] = now
        self.sender.put(udp_wire.KIND_TX_ROWS, tx.to_row(elapsed, cpu))

    # -- background work (sender thread) ---------------------------------------------------------
    def tick(self, boundary):
        self.reload_conf()
        if not self.seen:
            return  # processes that serve no requests (masters, reloaders) send no counters
        dropped, self.sender.dropped = self.sender.dropped, 0
        self.sender.put(udp_wire.KIND_COUNTER, self.counters.snapshot(boundary, dropped))

    def reload_conf(self):
        mtime = confmod.mtime_of(self.home.conf)
        if mtime == self.conf_mtime:
            return
        self.conf_mtime = mtime
        try:
            conf = confmod.read(self.home.conf)
        except confmod.ConfError:
            return
        if conf is not None:
            self.apply(conf)

    def first_request(self):
        """The first request of this process: make sure this home's agent process runs."""
        self.seen = True
        if self.agent_checked == os.getpid() or not self.conf["agent_autostart"]:
            return
        self.agent_checked = os.getpid()
        try:
            threading.Thread(target=self._ensure_agent, name="whatap-agent-check", daemon=True).start()
        except Exception:
            pass

    def _ensure_agent(self):
        from .. import process
        try:
            if process.agent_pid(self.home):
                return
            if not self.conf["license"]:
                return
            _pid, _where, message = process.start_agent(self.home)
            self.log.boot(message)
            self.conf_mtime = None
            self.reload_conf()
        except Exception as e:
            self.log.boot("whatap_python could not be started from the app: %s" % e)
