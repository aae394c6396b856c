"""whatap-stop-agent: stops the agent process (whatap_python) of $WHATAP_HOME."""
import sys

from .. import process
from . import open_home, say


def main(argv=None):
    home, log, _ = open_home("stop-agent")
    pid, stopped = process.stop_agent(home)
    if pid is None:
        say("whatap_python is not running for WHATAP_HOME=%s" % home.path)
        return 0
    if stopped:
        log.boot("whatap_python (pid %d) stopped by whatap-stop-agent" % pid)
        say("whatap_python (pid %d) stopped" % pid)
        return 0
    say("whatap_python (pid %d) did not stop; try: kill %d" % (pid, pid), sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
