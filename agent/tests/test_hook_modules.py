"""Every module of whatap.hooks with install(tracer) is installed at start; one that cannot be
loaded or installed is named in the hook log and the others still work."""
import sys

from whatap import hooks


class Log:
    def __init__(self):
        self.lines = []

    def hook(self, tag, message):
        self.lines.append(message)


def test_a_broken_hook_module_is_skipped_and_named_and_the_others_load(tmp_path, monkeypatch):
    (tmp_path / "zz_broken_hook.py").write_text("raise RuntimeError('half written')\n")
    (tmp_path / "zz_failing_hook.py").write_text("def install(tracer):\n    raise KeyError('x')\n")
    (tmp_path / "zz_fine_hook.py").write_text("seen = []\ndef install(tracer):\n    seen.append(tracer)\n")
    monkeypatch.setattr(hooks, "__path__", list(hooks.__path__) + [str(tmp_path)])
    log = Log()
    monkeypatch.setattr(hooks, "_state", {"log": log, "installed": False, "applied": []})
    for name in ("zz_broken_hook", "zz_failing_hook", "zz_fine_hook"):
        monkeypatch.delitem(sys.modules, "whatap.hooks." + name, raising=False)
    installed = []
    monkeypatch.setattr(hooks, "library_modules", _recording(hooks.library_modules, installed))

    hooks.install("the tracer", log, {"hook_method_patterns": []})

    names = [m.__name__.rsplit(".", 1)[1] for m in installed[0]]
    assert "zz_fine_hook" in names and "zz_broken_hook" not in names
    assert "dbapi" in names and "plugin" not in names and "sqlnorm" not in names
    assert sys.modules["whatap.hooks.zz_fine_hook"].seen == ["the tracer"]
    assert any("zz_broken_hook could not be loaded" in line and "RuntimeError" in line for line in log.lines)
    assert any("zz_failing_hook failed" in line and "KeyError" in line for line in log.lines)
    assert not any("half written" in line for line in log.lines)  # messages may quote app values


def _recording(real, into):
    def library_modules():
        found = real()
        into.append(found)
        return found
    return library_modules
