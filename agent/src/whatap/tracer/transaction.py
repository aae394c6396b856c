"""One traced request and its steps."""
import time

from . import masking, trace_context, values

perf = time.perf_counter
thread_time = time.thread_time


class Transaction:
    __slots__ = ("tracer", "txid", "start", "t0", "cpu0", "url", "method", "status", "client_ip",
                 "user_agent", "steps", "over", "error", "sql_count", "sql_time", "httpc_count",
                 "httpc_time", "depth", "params", "done", "step_max", "environ_id", "kept", "route", "route_prefix",
                 "task_cpu", "raised", "trace_id", "span_id", "parent_span_id", "tracestate")

    def __init__(self, tracer, txid, url, method, client_ip, user_agent, task_cpu=False):
        self.tracer = tracer
        self.txid = txid
        self.start = time.time() * 1000.0
        self.t0 = perf()
        # Thread CPU at start, or (task_cpu, ASGI) at the start of the task's current step.
        self.cpu0 = None if task_cpu else thread_time()
        self.url = url
        self.method = method
        self.client_ip = client_ip
        self.user_agent = user_agent
        self._clear()
        self.done = False
        self.step_max = tracer.step_max
        self.environ_id = 0
        self.route = None  # the framework's route template, set by its hook (tracer/naming.py)
        self.route_prefix = ""  # mount prefixes seen on the way to the route (Starlette)
        self.task_cpu = 0.0 if task_cpu else None  # ASGI: CPU seconds of its task's steps (tracer/asgi.py)
        # W3C trace context (tracer/trace_context.py), set by Tracer.begin; None with mtrace_enabled=false.
        self.trace_id = None
        self.span_id = None
        self.parent_span_id = None
        self.tracestate = None

    def _clear(self):
        """Nothing recorded yet: no status, steps, counts, parameters or error."""
        self.status = 0
        self.steps = []
        self.over = 0
        self.error = None
        self.sql_count = 0
        self.sql_time = 0.0
        self.httpc_count = 0
        self.httpc_time = 0.0
        self.depth = 0
        self.params = None
        self.kept = None  # original error texts already kept (one copy each)
        self.raised = None  # the exception recorded by set_error

    def restart(self, txid, name):
        """Turns this finished transaction into a new one named ``name`` starting now: the work
        an ASGI app does after its response (background tasks) on this same object, which
        every context still holding it keeps recording into. The finished transaction's
        message holds its own lists, so nothing here changes what was sent."""
        self.txid = txid
        self.start = time.time() * 1000.0
        self.t0 = perf()
        self.url = name
        self.route = name
        if self.span_id is not None:  # the same trace: a child of the request's span
            self.parent_span_id = self.span_id
            self.span_id = trace_context.new_span_id()
        self._clear()
        if self.task_cpu is not None:
            self.task_cpu = 0.0  # counted from cpu0, where finish() left the step's clock
        self.done = False

    def _add(self, step):
        if len(self.steps) >= self.step_max:
            self.over += 1
            return None
        self.steps.append(step)
        return step

    def ms(self, t):
        return round((t - self.t0) * 1000.0, 3)

    def add_sql(self, text, t_start, params=None, error=None):
        elapsed = (perf() - t_start) * 1000.0
        self.sql_count += 1
        self.sql_time += elapsed
        step = {"kind": "sql", "start": self.ms(t_start), "elapsed": round(elapsed, 3),
                "text": text, "fetch": 0, "depth": self.depth}
        if params:
            step["p"] = params
        return self._add_failed(step, error)

    def add_dbc(self, text, t_start, error=None):
        step = {"kind": "dbc", "start": self.ms(t_start), "elapsed": round((perf() - t_start) * 1000.0, 3),
                "text": values.text(text, 1024), "depth": self.depth}
        return self._add_failed(step, error)

    def add_httpc(self, url, t_start, status=None, error=None, span_id=None):
        """``span_id``: the span the call's ``traceparent`` named, the callee's parent."""
        elapsed = (perf() - t_start) * 1000.0
        self.httpc_count += 1
        self.httpc_time += elapsed
        step = {"kind": "httpc", "start": self.ms(t_start), "elapsed": round(elapsed, 3),
                "text": values.text(url, 2048), "status": status, "depth": self.depth}
        if span_id is not None:
            step["spanId"] = span_id
        return self._add_failed(step, error)

    def open_method(self, label):
        step = {"kind": "method", "start": self.ms(perf()), "elapsed": 0.0, "text": label,
                "depth": min(self.depth, 1024)}
        self.depth += 1
        return self._add(step), perf()

    def close_method(self, opened, error=None):
        step, t_start = opened
        self.depth = max(0, self.depth - 1)
        if step is not None:
            step["elapsed"] = round((perf() - t_start) * 1000.0, 3)
            if error is not None:
                step["error"], original = self._error_text(error)
                self._keep_original(original)

    def add_message(self, message):
        return self._add({"kind": "message", "start": self.ms(perf()), "elapsed": 0,
                          "text": values.text(message, 4096), "depth": self.depth})

    def set_error(self, exc):
        """Records an exception once (the first one wins: it is the cause)."""
        if self.error is not None or self.done:
            return
        self.error = values.error_info(exc, masking.mask)
        self.raised = exc
        self._add({"kind": "error", "start": self.ms(perf()), "elapsed": 0,
                   "text": self.error["class"], "error": self.error["message"], "depth": self.depth})
        self._keep_original(self._error_text(exc)[1])

    # -- error texts: values masked where shown, the original only in encrypted parameters ----
    def _error_text(self, error):
        """``(shown, original)``: ``Class: message`` with quoted values (rows, keys, query
        strings) masked, and the unmasked text when masking changed it (else None)."""
        text = "%s: %s" % (values.error_class(error), values.error_message(error))
        shown = masking.mask(text)
        return values.text(shown, 4096), (text if shown != text else None)

    def _add_failed(self, step, error):
        if error is None:
            return self._add(step)
        step["error"], original = self._error_text(error)
        added = self._add(step)
        self._keep_original(original)
        return added

    def _keep_original(self, text):
        """Adds the unmasked text as a message step whose parameters only the agent process
        sees and encrypts (it seals step parameters under profile_sql_param_enabled); with
        parameters off it is dropped. Each text once per transaction."""
        if text is None or not self.tracer.sql_params:
            return
        text = values.text(text, 4096)
        if self.kept is None:
            self.kept = set()
        elif text in self.kept:
            return
        self.kept.add(text)
        self._add({"kind": "message", "start": self.ms(perf()), "elapsed": 0, "depth": self.depth,
                   "text": "The error text above has its values masked; the original is in this step's "
                           "encrypted parameters.", "p": {"error": text}})

    def add_params(self, params):
        if not params:
            return
        if self.params is None:
            self.params = {}
        for name, items in params.items():
            self.params.setdefault(name, []).extend(items)

    def to_row(self, elapsed, cpu):
        """The transaction as udp_wire's row (times in integer microseconds); ``elapsed`` and
        ``cpu`` in milliseconds."""
        steps = self.steps
        if self.over:
            steps = steps + [{"kind": "truncated", "start": round(elapsed, 3), "elapsed": 0,
                              "text": "%d more steps not recorded (profile_step_max_count=%d)"
                              % (self.over, self.step_max)}]
        return (self.txid, int(self.start * 1000.0), int(elapsed * 1000.0 + 0.5), self.url, self.method,
                self.status, self.error, self.client_ip, self.user_agent, int(cpu * 1000.0 + 0.5),
                self.sql_count, int(self.sql_time * 1000.0 + 0.5), self.httpc_count,
                int(self.httpc_time * 1000.0 + 0.5), steps, self.params or None, self.trace_id, self.span_id,
                self.parent_span_id)
