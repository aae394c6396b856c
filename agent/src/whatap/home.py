"""Where the agent's files live: ``$WHATAP_HOME``.

Looked up like WhaTap does: the environment variable, then the nearest parent of the
working directory holding a ``whatap.conf``, else the working directory (with a warning).
"""
import os

CONF_NAME = "whatap.conf"
PARAMKEY_NAME = "paramkey.txt"
PLUGIN_NAME = "plugin.json"
PID_NAME = "whatap_python.pid"
LOGS_DIR = "logs"


def resolve_home(environ=None, cwd=None):
    """Returns ``(home, warning)``; ``warning`` is None when WHATAP_HOME was set or found."""
    environ = os.environ if environ is None else environ
    value = environ.get("WHATAP_HOME")
    if value:
        return os.path.abspath(os.path.expanduser(value)), None
    cwd = os.path.abspath(cwd or os.getcwd())
    here = cwd
    while True:
        if os.path.isfile(os.path.join(here, CONF_NAME)):
            return here, None
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return cwd, "WHATAP_HOME is not set and no whatap.conf was found above %s; using it as WHATAP_HOME" % cwd


class Home:
    """The paths of one ``$WHATAP_HOME``."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.conf = os.path.join(self.path, CONF_NAME)
        self.paramkey = os.path.join(self.path, PARAMKEY_NAME)
        self.plugin = os.path.join(self.path, PLUGIN_NAME)
        self.pidfile = os.path.join(self.path, PID_NAME)
        self.logs = os.path.join(self.path, LOGS_DIR)

    def __repr__(self):
        return "Home(%r)" % self.path
