"""Put first on PYTHONPATH by whatap-start-agent: starts the tracer in every Python process of
the app, then runs the sitecustomize this file shadows (if any). Never stops the app."""
import os
import sys


def _chain(here):
    """Takes our directory off sys.path (it only holds this file) and runs the next sitecustomize."""
    ours = sys.modules.get("sitecustomize")
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    try:
        del sys.modules["sitecustomize"]
        import importlib
        importlib.import_module("sitecustomize")
    except ImportError:
        pass
    except Exception as e:
        sys.stderr.write("whatap: the site's own sitecustomize failed: %s: %s\n" % (type(e).__name__, e))
    finally:
        if ours is not None:
            sys.modules["sitecustomize"] = ours


def _import_whatap(here):
    try:
        import whatap  # noqa: F401  (installed for this interpreter)
    except ImportError:
        # The app runs on another interpreter than the one whatap-python was installed in:
        # import the package from its own site directory without keeping that on sys.path
        # (its submodules are then found through the package's own __path__).
        site_dir = os.path.dirname(os.path.dirname(here))
        sys.path.insert(0, site_dir)
        try:
            import whatap  # noqa: F401
        finally:
            try:
                sys.path.remove(site_dir)
            except ValueError:
                pass


def _whatap_bootstrap():
    here = os.path.dirname(os.path.abspath(__file__))
    _chain(here)
    previous = os.environ.get("WHATAP_AUTOBOOT")
    try:
        os.environ["WHATAP_AUTOBOOT"] = "0"  # we boot below, once, saying who started us
        try:
            _import_whatap(here)
        finally:
            if previous is None:
                os.environ.pop("WHATAP_AUTOBOOT", None)
            else:
                os.environ["WHATAP_AUTOBOOT"] = previous
        if previous != "0":
            from whatap.tracer import boot
            boot.boot("whatap-start-agent")
    except Exception as e:
        sys.stderr.write("whatap: tracing is off for this process: %s: %s\n" % (type(e).__name__, e))


_whatap_bootstrap()
