"""User functions traced as ``method`` steps: ``plugin.json`` (with ``plugin=true``) and
``hook_method_patterns`` in whatap.conf. A pattern is ``module:function`` or
``module:Class.method``."""
import functools
import json

from ..tracer import context
from . import failed, when_imported


def read_plugin_json(path, log):
    """Patterns from plugin.json: ``{"methods": [...]}`` (a bare list is accepted too)."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        log.boot("plugin=true but %s does not exist; no user methods are traced" % path)
        return []
    except (OSError, ValueError) as e:
        log.hook(None, "plugin.json cannot be used (%s): %s" % (path, e))
        return []
    items = data.get("methods", []) if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        log.hook(None, "plugin.json: \"methods\" must be a list of \"module:Class.method\" strings")
        return []
    return items


def wrap(function, label):
    if getattr(function, "_whatap_label", None):
        return function

    @functools.wraps(function)
    def traced(*args, **kwargs):
        tx = context.current()
        if tx is None or tx.done:
            return function(*args, **kwargs)
        try:
            opened = tx.open_method(label)
        except Exception as e:
            failed("method step", e)
            return function(*args, **kwargs)
        try:
            result = function(*args, **kwargs)
        except BaseException as e:
            _close(tx, opened, e)
            raise
        _close(tx, opened)
        return result

    traced._whatap_label = label
    return traced


def _close(tx, opened, error=None):
    try:
        tx.close_method(opened, error)
    except Exception as e:
        failed("method step", e)


def _patch(module, attr_path, label):
    names = attr_path.split(".")
    owner = module
    for name in names[:-1]:
        owner = getattr(owner, name)
    last = names[-1]
    raw = owner.__dict__.get(last) if isinstance(owner, type) else None
    if isinstance(raw, staticmethod):
        setattr(owner, last, staticmethod(wrap(raw.__func__, label)))
    elif isinstance(raw, classmethod):
        setattr(owner, last, classmethod(wrap(raw.__func__, label)))
    else:
        target = getattr(owner, last)
        if not callable(target):
            raise TypeError("%s is not callable" % label)
        setattr(owner, last, wrap(target, label))


def install(patterns, log):
    by_module = {}
    for pattern in patterns:
        pattern = pattern.strip()
        module, sep, attr_path = pattern.partition(":")
        if not sep or not module or not attr_path:
            log.hook(None, "method pattern %r ignored: expected module:function or module:Class.method" % pattern)
            continue
        by_module.setdefault(module, []).append((attr_path, pattern))

    for module_name, entries in by_module.items():
        def patch(module, entries=entries):
            for attr_path, label in entries:
                try:
                    _patch(module, attr_path, label)
                except Exception as e:
                    log.hook(None, "method %s not traced: %s: %s" % (label, type(e).__name__, e))
        when_imported(module_name, patch)
