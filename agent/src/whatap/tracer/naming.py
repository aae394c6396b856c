"""Transaction names: the framework's route template, else a ``trace_normalize_urls`` pattern
the path matches, else the path; at most ``stat_tx_max_count`` distinct names per process and
hour, the rest counted under one overflow name (docs/asgi.md "Transaction names").

A transaction's ``url`` is its name everywhere downstream (the basetime map, the collector's
statistics, the hitmap), so the name is decided here once, when the transaction finishes."""
import re
import time

# The collector bounds its roll-ups under the same name (collector/rollup/tx-name-bound.ts).
OVERFLOW_NAME = "/{overflow: stat_tx_max_count reached}"
WINDOW_SECONDS = 3600.0
_PLACEHOLDER = re.compile(r"\{[^/{}]*\}")


def compile_pattern(pattern):
    """``/a/{v}/b`` -> a regex matching whole paths where each ``{...}`` is one path segment."""
    parts = _PLACEHOLDER.split(pattern)
    return re.compile("[^/]+".join(re.escape(p) for p in parts) + r"/?\Z")


def route_of(prefix, template):
    """A route template as a name: the mount prefix and the template, one leading slash."""
    name = (prefix or "") + (template or "")
    return name if name.startswith("/") else "/" + name


class Names:
    def __init__(self, patterns, max_count):
        self.patterns = [(compile_pattern(p), p) for p in patterns if p]
        self.max_count = max(1, int(max_count))
        self.seen = set()
        self.window_end = time.monotonic() + WINDOW_SECONDS
        self.overflowed = 0

    def name(self, path, route=None):
        """The name of a transaction with this path and route template (None: no route)."""
        return self.bounded(route if route else self.normalized(path))

    def normalized(self, path):
        for regex, pattern in self.patterns:
            if regex.match(path):
                return pattern
        return path

    def bounded(self, name):
        if name in self.seen:
            return name
        now = time.monotonic()
        if now >= self.window_end:
            self.seen = set()
            self.window_end = now + WINDOW_SECONDS
        if len(self.seen) >= self.max_count:
            self.overflowed += 1
            return OVERFLOW_NAME
        self.seen.add(name)
        return name
