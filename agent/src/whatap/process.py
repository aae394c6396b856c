"""Finding, starting and stopping the agent process (``whatap_python``) of a home.

The agent holds an exclusive ``flock`` on ``$WHATAP_HOME/whatap_python.pid`` for its whole
life, so "is it running?" never trusts a stale pid. Starting is serialized by a second lock
so that several workers or commands starting at once launch one agent.
"""
import errno
import fcntl
import os
import select
import signal
import subprocess
import sys
import time

PKG_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START_TIMEOUT = 20.0


def agent_pid(home):
    """The pid of the running agent of this home, else None."""
    try:
        fd = os.open(home.pidfile, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return None
            data = os.read(fd, 64).decode("ascii", "replace").strip()
            try:
                return int(data.split()[0])
            except (ValueError, IndexError):
                return -1  # running, pid not written yet
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _locked(path, timeout):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                os.close(fd)
                raise
            time.sleep(0.05)


def find_python():
    """An interpreter that can run the agent (sys.executable is uwsgi or httpd in some servers)."""
    candidates = []
    exe = sys.executable or ""
    if os.path.basename(exe).startswith("python"):
        candidates.append(exe)
    for prefix in (sys.prefix, sys.exec_prefix, getattr(sys, "base_prefix", sys.prefix)):
        for name in ("python3", "python"):
            candidates.append(os.path.join(prefix, "bin", name))
    candidates.append("/usr/bin/python3")
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def start_agent(home, python=None, timeout=START_TIMEOUT):
    """Starts the agent if it is not running. Returns ``(pid, where, message)`` (where: ``unix:<path>``
    or ``udp:127.0.0.1:<port>``, None when it was already running); raises RuntimeError."""
    pid = agent_pid(home)
    if pid:
        return pid, None, "whatap_python is already running (pid %d)" % pid
    python = python or find_python()
    if not python:
        raise RuntimeError("no Python interpreter found to run whatap_python")
    lock_fd = _locked(os.path.join(home.path, ".whatap_python.start.lock"), timeout)
    try:
        pid = agent_pid(home)
        if pid:
            return pid, None, "whatap_python is already running (pid %d)" % pid
        read_fd, write_fd = os.pipe()
        env = dict(os.environ)
        env["WHATAP_HOME"] = home.path
        env["WHATAP_PYTHON_ROLE"] = "agent"
        # The agent imports this very package, whatever interpreter the app runs on.
        env["PYTHONPATH"] = PKG_PARENT
        env.pop("PYTHONSTARTUP", None)
        stderr = subprocess.DEVNULL
        try:
            from .logs import boot_log_name
            stderr = open(os.path.join(home.logs, boot_log_name()), "a")
        except OSError:
            pass
        try:
            child = subprocess.Popen(
                [python, "-m", "whatap.whatap_python", "--home", home.path, "--ready-fd", str(write_fd), "--daemonize"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                pass_fds=(write_fd,), start_new_session=True, cwd=home.path, env=env, close_fds=True)
        finally:
            os.close(write_fd)
            if stderr is not subprocess.DEVNULL:
                stderr.close()
        answer = _read_answer(read_fd, timeout)
        try:
            child.wait(timeout=5)  # the launcher half exits at once; the daemon is re-parented
        except subprocess.TimeoutExpired:
            pass
        if answer.startswith("READY "):
            _, pid, where = answer.split(None, 2)
            kind, _, address = where.partition(":")
            shown = ("Unix socket " + address) if kind == "unix" else ("UDP %s, sealed" % address)
            return int(pid), where, "whatap_python started (pid %s, %s)" % (pid, shown)
        if answer.startswith("RUNNING "):
            return int(answer.split()[1]), None, "whatap_python is already running (pid %s)" % answer.split()[1]
        if answer.startswith("FAIL "):
            raise RuntimeError(answer[5:])
        raise RuntimeError("whatap_python did not report ready within %.0f s (%s)" % (timeout, answer or "no answer"))
    finally:
        os.close(lock_fd)


def _read_answer(fd, timeout):
    data = b""
    deadline = time.monotonic() + timeout
    try:
        while b"\n" not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    return data.decode("utf-8", "replace").split("\n")[0].strip()


def _is_agent(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b"whatap_python" in f.read()
    except OSError:
        return True  # no /proc: trust the lock


def _alive(pid):
    """True while the process exists and is not a zombie waiting for its parent."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return f.read().rsplit(b") ", 1)[-1][:1] not in (b"Z", b"X")
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False


def stop_agent(home, timeout=10.0):
    """Stops the running agent. Returns ``(pid or None, stopped)``."""
    pid = agent_pid(home)
    if not pid or pid < 0 or not _is_agent(pid):
        return None, False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return pid, True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if agent_pid(home) is None and not _alive(pid):
            return pid, True
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    time.sleep(0.2)
    return pid, agent_pid(home) is None and not _alive(pid)
