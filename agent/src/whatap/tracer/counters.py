"""5-second counters of one app process (docs/protocol.md "Counter")."""
import os
import threading
import time

try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (ValueError, OSError, AttributeError):
    _PAGE = 4096


def resident_bytes():
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        try:
            import resource
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        except Exception:
            return 0


class Counters:
    def __init__(self, apdex_ms=1200, slow_ms=3000, very_slow_ms=8000):
        self.apdex_ms = apdex_ms
        self.slow_ms = slow_ms
        self.very_slow_ms = very_slow_ms
        self.lock = threading.Lock()
        self.active = {}  # id(tx) -> perf_counter at start
        self.reset()

    def reset(self):
        self.active = {}
        self.window_start = time.monotonic()
        self.cpu_start = time.process_time()
        self._zero()

    def _zero(self):
        self.tx_count = 0
        self.tx_error = 0
        self.resp_sum = 0.0
        self.sql_count = 0
        self.sql_time = 0.0
        self.httpc_count = 0
        self.httpc_time = 0.0
        self.satisfied = 0
        self.tolerating = 0

    def done(self, tx, elapsed, error):
        with self.lock:
            self.tx_count += 1
            self.resp_sum += elapsed
            if error:
                self.tx_error += 1
            elif elapsed <= self.apdex_ms:
                self.satisfied += 1
            elif elapsed <= 4 * self.apdex_ms:
                self.tolerating += 1
            self.sql_count += tx.sql_count
            self.sql_time += tx.sql_time
            self.httpc_count += tx.httpc_count
            self.httpc_time += tx.httpc_time

    def snapshot(self, boundary, dropped):
        now = time.monotonic()
        cpu_now = time.process_time()
        bands = [0, 0, 0]
        perf = time.perf_counter()
        for started in list(self.active.values()):
            age = (perf - started) * 1000.0
            bands[0 if age < self.slow_ms else 1 if age < self.very_slow_ms else 2] += 1
        with self.lock:
            window = max(now - self.window_start, 0.001)
            n = self.tx_count
            counter = {
                "time": int(boundary * 1000), "pid": os.getpid(),
                "tps": round(n / window, 3), "txCount": n, "txError": self.tx_error,
                "respTime": round(self.resp_sum / n, 3) if n else 0.0,
                "activeBands": bands,
                "cpu": round(max(cpu_now - self.cpu_start, 0.0) / window * 100.0, 2),
                "mem": resident_bytes(),
                "apdex": round((self.satisfied + self.tolerating / 2.0) / n, 4) if n else 1.0,
                "sqlCount": self.sql_count, "sqlTime": round(self.sql_time, 3),
                "httpcCount": self.httpc_count, "httpcTime": round(self.httpc_time, 3),
                "dropped": dropped,
            }
            self._zero()
            self.window_start = now
            self.cpu_start = cpu_now
        return counter
