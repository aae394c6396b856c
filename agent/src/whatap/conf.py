"""``whatap.conf``: ``key=value`` lines, ``#`` comments.

Reading never raises: problems come back as messages (``CONF READ ERROR`` for an unreadable
file, a plain warning naming the key for a typo or a bad value, which falls back to its default).
"""
import difflib
import os
import socket
import tempfile

DEFAULT_STATIC_EXTENSIONS = "js,htm,html,gif,png,jpg,css,swf,ico"


def _bool(text):
    t = text.strip().lower()
    if t in ("true", "yes", "on", "1"):
        return True
    if t in ("false", "no", "off", "0"):
        return False
    raise ValueError("expected true or false")


def _int(text):
    return int(text.strip())


def _positive(text):
    value = int(text.strip())
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _port(text):
    value = int(text.strip())
    if not 0 < value < 65536:
        raise ValueError("expected a port number 1-65535")
    return value


def _list(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def _str(text):
    return text.strip()


# name -> (parser, default); the documented options are in docs/agent.md.
OPTIONS = {
    "license": (_str, ""),
    "whatap.server.host": (_list, ["127.0.0.1"]),
    "whatap.server.port": (_port, 6600),
    "whatap.server.tls": (_bool, False),
    "whatap.server.tls_ca": (_str, ""),
    "app_name": (_str, "python"),
    "app_process_name": (_str, "python"),
    "object_name": (_str, "{type}-{ip2}-{ip3}-{process}"),
    "net_udp_port": (_port, 6600),
    "enabled": (_bool, True),
    "agent_autostart": (_bool, True),
    "profile_http_parameter_enabled": (_bool, False),
    "profile_sql_param_enabled": (_bool, False),
    "plugin": (_bool, False),
    "hook_method_patterns": (_list, []),
    "trace_ignore_url_prefix": (_list, []),
    "web_static_content_extensions": (_list, _list(DEFAULT_STATIC_EXTENSIONS)),
    "profile_basetime": (_int, 0),
    "profile_step_max_count": (_int, 1024),
    "apdex_time": (_int, 1200),
    "trace_active_transaction_slow_time": (_int, 3000),
    "trace_active_transaction_very_slow_time": (_int, 8000),
    "trace_normalize_urls": (_list, []),        # URL patterns such as /a/{v}/b: paths that match are named by the pattern
    "stat_tx_max_count": (_positive, 5000),     # distinct transaction names per process; more are counted under one overflow name
    "trace_logging_enabled": (_bool, True),     # logging records at ERROR and above inside a transaction become message steps
    "mtrace_enabled": (_bool, True),            # W3C traceparent read from requests and sent on HTTP calls
    "mtrace_skip_hosts": (_list, []),           # hosts HTTP calls to which carry no trace context headers
    # While the collector cannot be reached (read when the agent process starts; docs/agent.md "Outages"):
    "net_send_queue_size": (_positive, 10000),  # transactions kept in memory before the spool
    "spool_enabled": (_bool, True),             # then in $WHATAP_HOME/spool on disk
    "spool_max_mb": (_positive, 512),           # bound of the spool; beyond it the oldest are dropped
}

TEMPLATE = """\
# Tapscope Python agent configuration (whatap-python). Reference: docs/agent.md
# license=
# whatap.server.host=127.0.0.1
# whatap.server.port=6600
# app_name=
# app_process_name=
# object_name={type}-{ip2}-{ip3}-{process}
# profile_http_parameter_enabled=false
# profile_sql_param_enabled=false
"""


class ConfError(Exception):
    """The file exists but cannot be read (CONF READ ERROR)."""


class Config:
    """Parsed options with defaults; ``problems`` lists typos and bad values in plain words."""

    def __init__(self, values=None, problems=None, explicit=None, mtime=None):
        self.values = values or {}
        self.problems = problems or []
        self.explicit = explicit or set()  # keys present in the file
        self.mtime = mtime

    def __getitem__(self, key):
        if key in self.values:
            return self.values[key]
        return OPTIONS[key][1]

    def get(self, key, default=None):
        if key in self.values:
            return self.values[key]
        if key in OPTIONS:
            return OPTIONS[key][1]
        return default


def parse(text):
    values, problems, explicit = {}, [], set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            problems.append("whatap.conf line %d: expected key=value, got %r; ignored" % (number, line[:80]))
            continue
        key, value = line.split("=", 1)
        key = key.strip()
        if key not in OPTIONS:
            close = difflib.get_close_matches(key, OPTIONS.keys(), n=1)
            hint = (" (did you mean %s?)" % close[0]) if close else ""
            problems.append("whatap.conf line %d: unknown option %r%s; ignored" % (number, key, hint))
            continue
        parser, default = OPTIONS[key]
        try:
            values[key] = parser(value)
            explicit.add(key)
        except ValueError as e:
            problems.append("whatap.conf line %d: %s=%r is not valid (%s); using the default %r"
                            % (number, key, value.strip()[:80], e, default))
    return Config(values, problems, explicit)


def read(path):
    """Returns a Config; ``None`` when the file does not exist. Raises ConfError when unreadable."""
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            mtime = os.fstat(f.fileno()).st_mtime
            text = f.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ConfError("cannot read %s: %s" % (path, e.strerror or e))
    conf = parse(text)
    conf.mtime = mtime
    return conf


def mtime_of(path):
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def upsert(path, updates, create=True):
    """Sets ``key=value`` lines, keeping every other line; creates the file from the template."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        if not create:
            raise
        lines = TEMPLATE.splitlines()
    remaining = dict(updates)
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and "=" in stripped:
            key = stripped.split("=", 1)[0].strip()
            if key in updates:
                if key in remaining:
                    out.append("%s=%s" % (key, remaining.pop(key)))
                continue  # a later duplicate of a key we set: drop it so ours wins
        out.append(line)
    for key, value in remaining.items():
        out.append("%s=%s" % (key, value))
    _write_atomic(path, "\n".join(out) + "\n")


def _write_atomic(path, text):
    directory = os.path.dirname(path) or "."
    mode = None
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        pass
    try:
        fd, tmp = tempfile.mkstemp(prefix=".whatap.conf.", dir=directory)
    except OSError:
        # The directory is read-only but the file may be writable: write in place.
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        # The file holds the license key: only its owner may read it (an existing looser file is tightened).
        os.chmod(tmp, (mode & 0o700) if mode is not None else 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def local_ip(target_host=None):
    """The address this host uses towards the collector (no packet is sent)."""
    for host in ([target_host] if target_host else []) + ["10.255.255.255"]:
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                s.connect((host, 9))
                return s.getsockname()[0]
            finally:
                s.close()
        except OSError:
            continue
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def object_name(conf, ip=None, hostname=None):
    """Expands the ``object_name`` pattern: {type} {ip0}..{ip3} {process} {hostname}."""
    ip = ip or local_ip((conf["whatap.server.host"] or [None])[0])
    hostname = hostname or socket.gethostname()
    parts = (ip.split(".") + ["0", "0", "0", "0"])[:4]
    tokens = {
        "type": conf["app_name"],
        "process": conf["app_process_name"],
        "hostname": hostname,
        "ip0": parts[0], "ip1": parts[1], "ip2": parts[2], "ip3": parts[3],
    }
    out = conf["object_name"] or OPTIONS["object_name"][1]
    for key, value in tokens.items():
        out = out.replace("{%s}" % key, value)
    return out
