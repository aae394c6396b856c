"""``$WHATAP_HOME/run``: the agent's Unix socket and the link key, where only its user can go.

The directory must be a real directory (not a symlink), owned by this process's user (the
tracer also accepts root's) and closed to group and others. Everything inside is reached
through a directory descriptor, so a path swapped after the check is never followed, and
through ``/proc/self/fd/N/<name>`` for sockets, which also keeps a long ``$WHATAP_HOME``
within the 108 bytes of a Unix socket address.
"""
import binascii
import errno
import os
import stat
import time

RUN_DIR = "run"
SPOOL_DIR = "spool"
SOCKET_NAME = "agent.sock"
KEY_NAME = "link.key"
KEY_BYTES = 32
SUN_PATH_MAX = 107


class RunDirError(OSError):
    """The run directory or a file in it cannot be trusted or used; the message says why."""


def _dir_flags():
    return os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _problem(st, path, owners):
    """Why ``st`` may not be trusted, else None."""
    if st.st_uid not in owners:
        return "%s belongs to uid %d, not to this process's user (uid %d)" % (path, st.st_uid, os.geteuid())
    if st.st_mode & 0o077:
        return "%s has mode %03o: group or others may use it" % (path, stat.S_IMODE(st.st_mode))
    return None


def open_for_tracer(home_path):
    """The run directory's fd, checked; raises RunDirError (or OSError: ENOENT, EACCES)."""
    path = os.path.join(home_path, RUN_DIR)
    try:
        fd = os.open(path, _dir_flags())
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENOTDIR):  # a symlink or a file stands there
            raise RunDirError(e.errno, "%s is not a directory of the agent (a symlink or a file)" % path)
        raise
    problem = _problem(os.fstat(fd), path, {os.geteuid(), 0})
    if problem:
        os.close(fd)
        raise RunDirError(errno.EPERM, problem)
    return fd


def prepare_for_agent(home_path, notes, name=RUN_DIR):
    """Creates or checks the run directory (or the spool, ``name``) for the agent; returns its fd.

    A looser directory of ours is tightened to 0700. One that is not ours (or a symlink or a
    file in its place) is never entered: it is renamed aside and a new one is made. ``notes``
    gets one plain-words line for the boot log per thing done.
    """
    path = os.path.join(home_path, name)
    home_fd = os.open(home_path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for attempt in range(2):
            try:
                os.mkdir(name, 0o700, dir_fd=home_fd)
            except FileExistsError:
                pass
            try:
                fd = os.open(name, _dir_flags(), dir_fd=home_fd)
                st = os.fstat(fd)
            except OSError as e:
                if e.errno not in (errno.ELOOP, errno.ENOTDIR) or attempt:
                    raise RunDirError(e.errno, "cannot open %s: %s" % (path, e.strerror or e))
                _move_aside(home_fd, name, path, "it is a symlink or a file, not a directory", notes)
                continue
            if st.st_uid != os.geteuid():
                os.close(fd)
                if attempt:
                    raise RunDirError(errno.EPERM, "%s was replaced by another user's directory while starting" % path)
                _move_aside(home_fd, name, path, "it belongs to uid %d, not to this agent's user (uid %d)"
                            % (st.st_uid, os.geteuid()), notes)
                continue
            if st.st_mode & 0o077:
                os.fchmod(fd, 0o700)
                notes.append("%s had mode %03o: tightened to 0700 (only the agent's user may reach what is in "
                             "it)" % (path, stat.S_IMODE(st.st_mode)))
            return fd
        raise RunDirError(errno.EPERM, "cannot make %s" % path)
    finally:
        os.close(home_fd)


def _move_aside(home_fd, name, path, why, notes):
    aside = "%s.untrusted-%d-%d" % (name, int(time.time()), os.getpid())
    try:
        os.rename(name, aside, src_dir_fd=home_fd, dst_dir_fd=home_fd)  # moves the entry; follows nothing
    except OSError as e:
        raise RunDirError(e.errno, "refused %s: %s; and it cannot be moved aside (%s): remove it"
                          % (path, why, e.strerror or e))
    notes.append("refused %s: %s. Nothing in it was used; it was renamed %s and a new one was made"
                 % (path, why, os.path.join(os.path.dirname(path), aside)))


def socket_address(dir_fd, home_path):
    """An address for ``run/agent.sock`` that resolves through ``dir_fd``."""
    via_fd = "/proc/self/fd/%d/%s" % (dir_fd, SOCKET_NAME)
    if os.path.isdir("/proc/self/fd"):
        return via_fd
    path = os.path.join(home_path, RUN_DIR, SOCKET_NAME)
    if len(path.encode()) > SUN_PATH_MAX:
        raise RunDirError(errno.ENAMETOOLONG, "%s is longer than a Unix socket address allows (%d bytes) and "
                          "/proc is not mounted: use a shorter WHATAP_HOME or set net_udp_port" % (path, SUN_PATH_MAX))
    return path


def read_key(dir_fd, home_path):
    """The link key (32 bytes) from ``run/link.key``; raises OSError / RunDirError."""
    path = os.path.join(home_path, RUN_DIR, KEY_NAME)
    fd = os.open(KEY_NAME, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), dir_fd=dir_fd)
    try:
        st = os.fstat(fd)
        problem = None if stat.S_ISREG(st.st_mode) else "%s is not a regular file" % path
        problem = problem or _problem(st, path, {os.geteuid(), 0})
        if problem:
            raise RunDirError(errno.EPERM, problem)
        text = os.read(fd, 256).decode("ascii", "replace").strip()
    finally:
        os.close(fd)
    try:
        key = binascii.unhexlify(text)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise RunDirError(errno.EINVAL, "%s does not hold a link key" % path)
    return key, (st.st_ino, st.st_mtime_ns)


def key_identity(dir_fd):
    """(inode, mtime) of the key file without opening it, or None."""
    try:
        st = os.stat(KEY_NAME, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def agent_key(dir_fd, home_path, notes):
    """The agent's link key: read, or created (0600, O_EXCL|O_NOFOLLOW) when missing or unusable."""
    try:
        return read_key(dir_fd, home_path)[0]
    except FileNotFoundError:
        pass
    except OSError as e:
        notes.append("%s; a new link key is made" % (e.strerror or e))
        os.unlink(KEY_NAME, dir_fd=dir_fd)  # removes the entry itself, even a symlink
    key = os.urandom(KEY_BYTES)
    fd = os.open(KEY_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                 0o600, dir_fd=dir_fd)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, binascii.hexlify(key) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    notes.append("created %s (the key that seals tracer datagrams on net_udp_port; mode 0600)"
                 % os.path.join(home_path, RUN_DIR, KEY_NAME))
    return key
