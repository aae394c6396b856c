"""The commands: whatap-setting-config, whatap-start-agent, whatap-stop-agent."""
import sys

from ..home import Home, resolve_home
from ..logs import AgentLog



def say(text, stream=None):
    stream = stream or sys.stdout
    stream.write(text + "\n")
    stream.flush()


def open_home(role, stream=None):
    """Resolves $WHATAP_HOME (warning when it had to guess) and opens its logs."""
    path, warning = resolve_home()
    home = Home(path)
    log = AgentLog(home, role)
    if warning:
        say("whatap: WARNING: " + warning, stream or sys.stderr)
    return home, log, warning


def license_hint(key):
    from ..agent.daemon import _license_hint
    return _license_hint(key)
