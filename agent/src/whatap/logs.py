"""The two log files of ``$WHATAP_HOME/logs``.

- ``whatap-boot-YYYYMMDD.log``: starts, connections, configuration problems, in plain words.
- ``whatap-hook.log``: problems with the agent's own files, labelled like WhaTap's
  (``CONF FILE ERROR``, ``CONF READ ERROR``, ``LOG FILE ERROR``, ``LOGGING ERROR``) and
  instrumentation (hook) failures.

When the logs directory itself is the problem the line cannot be written there, so it goes
to standard error, which ends up in the app server's own log. Never log secrets here.
"""
import os
import sys
import time

from .version import BUILD_DATE, __version__

BANNER = r"""
  _____                                        Python-AGENT
 |_   _|__ _ _ __  ___  ___ ___  _ __   ___
   | | / _` | '_ \/ __|/ __/ _ \| '_ \ / _ \
   | || (_| | |_) \__ \ (_| (_) | |_) |  __/
   |_| \__,_| .__/|___/\___\___/| .__/ \___|
            |_|                 |_|
Just Tap, Always Monitoring
"""

LOG_FILE_ERROR = "LOG FILE ERROR"
LOGGING_ERROR = "LOGGING ERROR"
CONF_FILE_ERROR = "CONF FILE ERROR"
CONF_READ_ERROR = "CONF READ ERROR"


def _stamp():
    return time.strftime("%Y-%m-%d %H:%M:%S")


def boot_log_name(now=None):
    return "whatap-boot-%s.log" % time.strftime("%Y%m%d", time.localtime(now))


class AgentLog:
    """Appends lines to the boot and hook logs of one home; never raises."""

    def __init__(self, home, role):
        self.home = home
        self.role = role  # "agent", "tracer" or a CLI name, shown on each line
        self.usable = None  # None: not checked yet
        self._stderr_reported = set()

    def check(self):
        """Creates ``logs`` if needed; reports LOG FILE ERROR / LOGGING ERROR. Returns usability."""
        logs = self.home.logs
        try:
            if not os.path.isdir(logs):
                os.makedirs(logs, exist_ok=True)
        except OSError as e:
            self.usable = False
            self._to_stderr(
                LOG_FILE_ERROR,
                "cannot create the logs directory %s: %s. Create it and let the app's user write to it."
                % (logs, e.strerror or e),
            )
            return False
        probe = os.path.join(logs, boot_log_name())
        try:
            with open(probe, "a"):
                pass
            if not os.access(logs, os.W_OK):
                raise PermissionError(13, "Permission denied")
        except OSError as e:
            self.usable = False
            self._to_stderr(
                LOGGING_ERROR,
                "cannot write to the logs directory %s: %s. Give the app's user write permission."
                % (logs, e.strerror or e),
            )
            return False
        self.usable = True
        return True

    def prune(self, days=30):
        """Removes boot logs older than ``days`` (one file per day otherwise piles up)."""
        cutoff = time.time() - days * 86400
        try:
            for name in os.listdir(self.home.logs):
                path = os.path.join(self.home.logs, name)
                if name.startswith("whatap-boot-") and name.endswith(".log") and os.path.getmtime(path) < cutoff:
                    os.unlink(path)
        except OSError:
            pass

    def banner(self, extra=()):
        lines = [BANNER.rstrip("\n"),
                 "Tapscope Python Agent (whatap-python) version %s, %s" % (__version__, BUILD_DATE),
                 "",
                 "WHATAP_HOME: %s" % self.home.path,
                 "Config: %s" % self.home.conf,
                 "Logs: %s" % self.home.logs]
        lines.extend(extra)
        self._append(os.path.join(self.home.logs, boot_log_name()), "\n".join(lines) + "\n")

    def boot(self, message):
        line = "%s [%s pid %d] %s\n" % (_stamp(), self.role, os.getpid(), message)
        if not self._append(os.path.join(self.home.logs, boot_log_name()), line):
            self._stderr_line(line)

    def hook(self, label, message):
        text = ("%s: %s" % (label, message)) if label else message
        line = "%s [%s pid %d] %s\n" % (_stamp(), self.role, os.getpid(), text)
        if not self._append(os.path.join(self.home.logs, "whatap-hook.log"), line):
            self._stderr_line(line)

    def _append(self, path, text):
        if self.usable is None:
            self.check()
        if not self.usable:
            return False
        try:
            with open(path, "a", encoding="utf-8") as f:
                f.write(text)
            return True
        except OSError:
            return False
        except Exception:  # never let logging hurt the app
            return False

    def _to_stderr(self, label, message):
        key = (label, message)
        if key in self._stderr_reported:
            return
        self._stderr_reported.add(key)
        self._stderr_line("%s [%s pid %d] %s: %s\n" % (_stamp(), self.role, os.getpid(), label, message))

    @staticmethod
    def _stderr_line(line):
        try:
            sys.stderr.write("whatap: " + line)
            sys.stderr.flush()
        except Exception:
            pass
