"""Instrumentation, one module per library, applied when the library is imported.

Every module here that defines ``install(tracer)`` is a library's instrumentation and is
installed at start (``plugin`` and ``sqlnorm`` are helpers, not libraries); adding a library
is adding its module.

A finder on ``sys.meta_path`` wraps the loader of the watched modules so the patch runs right
after the module executes; modules imported before the agent are patched at once. A failing
patch is written to whatap-hook.log and leaves the library as it was.
"""
import importlib
import importlib.abc
import importlib.util
import os
import pkgutil
import sys
import threading
import time
import traceback

from ..tracer.values import error_class

_watch = {}       # module name -> [patch(module)]
_busy = set()
_lock = threading.RLock()
_state = {"log": None, "installed": False, "applied": []}
_failures = {}    # (where, exception class) -> [monotonic time of the last line, occurrences since]
FAILURE_LOG_INTERVAL = 60.0


def failed(where, exc):
    """Records that the agent's own work at ``where`` raised ``exc``; the caller goes on
    without it and the app never sees it. One hook-log line per place and exception class
    per minute (a broken hook fails on every request), naming the agent line that raised.
    The exception's message is not written: it may quote the app's values. Never raises."""
    try:
        key = (where, type(exc).__name__)
        now = time.monotonic()
        seen = _failures.get(key)
        if seen is not None:
            seen[1] += 1
            if now - seen[0] < FAILURE_LOG_INTERVAL:
                return
        if len(_failures) > 256:
            _failures.clear()
        _failures[key] = [now, 0]
        log = _state["log"]
        if log is None:
            return
        frames = traceback.extract_tb(exc.__traceback__)
        at = " at %s:%d" % (os.path.basename(frames[-1].filename), frames[-1].lineno) if frames else ""
        skipped = seen[1] - 1 if seen is not None else 0
        more = " (%d more times since the last line)" % skipped if skipped > 0 else ""
        log.hook("HOOK ERROR", "%s failed: %s%s; the app went on untraced there%s"
                 % (where, error_class(exc), at, more))
    except Exception:
        pass


def _run(name, module):
    for patch in _watch.pop(name, []):
        try:
            patch(module)
            _state["applied"].append(name)
        except Exception as e:
            log = _state["log"]
            if log is not None:
                log.hook(None, "hook for %s failed (left uninstrumented): %s: %s" % (name, type(e).__name__, e))


class _Loader:
    def __init__(self, loader, name):
        self._loader = loader
        self._name = name

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        # The module sees its real loader, as if we were not here.
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        _run(self._name, module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in _watch or name in _busy:
            return None
        with _lock:
            _busy.add(name)
            try:
                spec = importlib.util.find_spec(name)
            except Exception:
                return None
            finally:
                _busy.discard(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _Loader(spec.loader, name)
        return spec


_finder = _Finder()


def when_imported(name, patch):
    """Runs ``patch(module)`` now if ``name`` is imported, else right after it is."""
    with _lock:
        _watch.setdefault(name, []).append(patch)
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__spec__", None) is not None and \
                not getattr(module.__spec__, "_initializing", False):
            _run(name, module)
        elif _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)


def install(tracer, log, conf, plugin_patterns=()):
    """Installs every hook once per process."""
    if _state["installed"]:
        return
    _state["installed"] = True
    _state["log"] = log
    for module in library_modules():
        try:
            module.install(tracer)
        except Exception as e:
            log.hook(None, "hook %s failed (left uninstrumented): %s" % (module.__name__, error_class(e)))
    patterns = list(conf["hook_method_patterns"]) + list(plugin_patterns)
    if patterns:
        from . import plugin
        plugin.install(patterns, log)


HELPERS = frozenset(("plugin", "sqlnorm"))


def library_modules():
    """The instrumentation modules of this package, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in HELPERS:
            continue
        try:
            module = importlib.import_module(__name__ + "." + info.name)
        except Exception as e:  # one broken module leaves the others working
            log = _state["log"]
            if log is not None:
                log.hook(None, "hook module %s could not be loaded (left uninstrumented): %s"
                         % (info.name, error_class(e)))
            continue
        if callable(getattr(module, "install", None)):
            found.append(module)
    return found


def applied():
    return list(_state["applied"])
