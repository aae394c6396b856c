"""Entry of the agent process: ``python -m whatap.whatap_python --home <WHATAP_HOME>``.

The module name puts ``whatap_python`` in the command line (``ps -ef | grep whatap_python``)
and the process renames itself to it (``killall whatap_python``).
"""
import argparse
import os
import sys

from .agent.daemon import main_loop_safe, set_process_name
from .home import Home
from .logs import AgentLog


def main(argv=None):
    parser = argparse.ArgumentParser(prog="whatap_python")
    parser.add_argument("--home", default=os.environ.get("WHATAP_HOME") or os.getcwd())
    parser.add_argument("--ready-fd", type=int, default=None)
    parser.add_argument("--daemonize", action="store_true")
    args = parser.parse_args(argv)
    if args.daemonize and os.fork() > 0:
        os._exit(0)  # the launcher reaps this half; the agent is re-parented to init
    set_process_name("whatap_python")
    home = Home(args.home)
    log = AgentLog(home, "agent")

    def ready(line):
        if args.ready_fd is None:
            print(line, flush=True)
            return
        try:
            os.write(args.ready_fd, (line + "\n").encode("utf-8"))
            os.close(args.ready_fd)
        except OSError:
            pass
        args.ready_fd = None

    return main_loop_safe(home, log, ready)


if __name__ == "__main__":
    sys.exit(main())
