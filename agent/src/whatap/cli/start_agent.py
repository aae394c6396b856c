"""whatap-start-agent <command...>: starts this home's agent process if needed, puts the
tracer's bootstrap on PYTHONPATH and execs the command (same PID). If the agent cannot
start, the app starts anyway and the logs say why."""
import os
import shutil
import sys

from .. import process
from ..tracer.boot import read_conf_for_app
from . import open_home, say

USAGE = """usage: whatap-start-agent YOUR_APPLICATION_START_COMMAND...

examples:
  whatap-start-agent python manage.py runserver
  whatap-start-agent gunicorn myapp.wsgi
  whatap-start-agent uwsgi --ini myapp.ini
  env WHATAP_HOME=/path /abs/path/whatap-start-agent gunicorn app:app"""

BOOTSTRAP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bootstrap")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        say(USAGE)
        return 0 if argv else 1
    command = argv
    try:
        prepare()
    except Exception as e:  # whatever happens, the app starts
        say("whatap: %s: %s; continuing to start the application" % (type(e).__name__, e), sys.stderr)
    program = command[0]
    if os.sep not in program:
        found = shutil.which(program)
        if found is None:
            say("whatap-start-agent: command not found: %s" % program, sys.stderr)
            return 127
    try:
        os.execvp(program, command)
    except OSError as e:
        say("whatap-start-agent: cannot run %s: %s" % (program, e.strerror or e), sys.stderr)
        return 126


def prepare():
    home, log, _ = open_home("start-agent")
    os.environ["WHATAP_HOME"] = home.path
    log.check()
    conf = read_conf_for_app(home, log)
    if not conf["enabled"]:
        log.boot("enabled=false in whatap.conf: starting the application without the agent")
        return
    try:
        _pid, _where, message = process.start_agent(home)
        log.boot(message)
        say("whatap: " + message, sys.stderr)
    except Exception as e:
        log.boot("whatap_python could not start: %s; continuing to start the application" % e)
        say("whatap: whatap_python could not start: %s; continuing to start the application (see %s)"
            % (e, home.logs), sys.stderr)
    paths = [BOOTSTRAP] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                           if p and p != BOOTSTRAP]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


if __name__ == "__main__":
    sys.exit(main())
