"""Starting the tracer in an app process (sitecustomize, ``import whatap``, register_app)."""
import os
import platform
import sys
import threading

from .. import conf as confmod
from ..home import Home, resolve_home
from ..logs import CONF_FILE_ERROR, CONF_READ_ERROR, AgentLog

_lock = threading.Lock()
_state = {"done": False, "tracer": None}


def tracer():
    """The tracer of this process, or None (not booted, disabled, or failed)."""
    return _state["tracer"]


def booted():
    return _state["done"]


def home_known():
    """WHATAP_HOME is set, or a whatap.conf is found above the working directory."""
    return resolve_home()[1] is None


def boot_from_environ(environ):
    """First request of a register_app app: take WHATAP_HOME from the WSGI environ if there."""
    if _state["done"]:
        return
    value = environ.get("WHATAP_HOME")
    if value and not os.environ.get("WHATAP_HOME"):
        os.environ["WHATAP_HOME"] = value
    boot("register_app, WHATAP_HOME from %s" % ("the request environ (SetEnv)" if value else "the working directory"))


def boot(source="import"):
    """Idempotent; never raises."""
    if _state["done"]:
        return _state["tracer"]
    with _lock:
        if _state["done"]:
            return _state["tracer"]
        _state["done"] = True
        try:
            _state["tracer"] = _boot(source)
        except Exception as e:
            try:
                sys.stderr.write("whatap: the tracer could not start (%s: %s); the app runs untraced\n"
                                 % (type(e).__name__, e))
            except Exception:
                pass
    return _state["tracer"]


def read_conf_for_app(home, log):
    """whatap.conf as the app sees it: missing -> created from the template (CONF FILE ERROR when
    that fails); unreadable -> CONF READ ERROR. Returns a Config (defaults on error)."""
    try:
        conf = confmod.read(home.conf)
    except confmod.ConfError as e:
        log.hook(CONF_READ_ERROR, "%s. Give the app's user read permission on it." % e)
        return confmod.Config()
    if conf is None:
        try:
            confmod.upsert(home.conf, {})
            log.boot("%s did not exist: created it from the template; set license and "
                     "whatap.server.host (whatap-setting-config)" % home.conf)
        except OSError as e:
            log.hook(CONF_FILE_ERROR, "cannot create %s: %s. Create it (whatap-setting-config) and let "
                     "the app's user read it." % (home.conf, e.strerror or e))
        return confmod.Config()
    for problem in conf.problems:
        log.boot(problem)
    return conf


def _boot(source):
    from .. import hooks
    from .core import Tracer
    path, warning = resolve_home()
    home = Home(path)
    log = AgentLog(home, "tracer")
    log.check()
    if warning:
        log.boot("WARNING: " + warning)
    conf = read_conf_for_app(home, log)
    if not conf["enabled"]:
        log.boot("enabled=false in whatap.conf: this process is not traced")
        return None
    the_tracer = Tracer(home, conf, log)
    from .channel import Channel
    the_tracer.sender.channel = Channel(home, lambda: the_tracer.conf, log)
    patterns = []
    if conf["plugin"]:
        from ..hooks.plugin import read_plugin_json
        patterns = read_plugin_json(home.plugin, log)
    hooks.install(the_tracer, log, conf, patterns)
    log.boot("tracer started (%s) in %s pid %d, Python %s; sending to %s"
             % (source, os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python",
                os.getpid(), platform.python_version(), the_tracer.sender.channel.describe()))
    return the_tracer
