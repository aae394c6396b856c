"""HTTP call steps through ``http.client`` (which urllib, urllib3 and requests use).

The step starts at ``putrequest`` and ends when ``getresponse`` returns. Only scheme, host,
port and path are kept: query strings may carry secrets.
"""
from ..tracer import context
from ..tracer.transaction import perf
from . import failed, when_imported


def _url(conn, target):
    if target.startswith(("http://", "https://")):  # through a proxy
        url = target
    else:
        import http.client
        https = isinstance(conn, getattr(http.client, "HTTPSConnection", ()))
        scheme = "https" if https else "http"
        default = 443 if https else 80
        host = conn.host
        if ":" in host and not host.startswith("["):
            host = "[%s]" % host
        port = "" if conn.port in (None, default) else ":%d" % conn.port
        url = "%s://%s%s%s" % (scheme, host, port, target if target.startswith("/") else "/" + target)
    return url.split("?", 1)[0].split("#", 1)[0]


def _record(conn, call, response, error=None):
    try:
        conn.__dict__.pop("_whatap_call", None)
        tx, started, url = call
        if not tx.done:
            tx.add_httpc(url, started, getattr(response, "status", None), error)
    except Exception as e:
        failed("http call step", e)


def patch(module):
    cls = module.HTTPConnection
    if getattr(cls.putrequest, "_whatap", False):
        return
    original_put = cls.putrequest
    original_get = cls.getresponse

    def putrequest(self, method, url, *args, **kwargs):
        tx = context.current()
        if tx is not None and not tx.done:
            try:
                self._whatap_call = (tx, perf(), _url(self, url))
            except Exception as e:
                failed("http call start", e)
        return original_put(self, method, url, *args, **kwargs)

    def getresponse(self, *args, **kwargs):
        call = self.__dict__.get("_whatap_call")
        if call is None:
            return original_get(self, *args, **kwargs)
        try:
            response = original_get(self, *args, **kwargs)
        except TypeError:
            # urllib3 1.x first tries getresponse(buffering=True), then retries without it.
            raise
        except Exception as e:
            _record(self, call, None, e)
            raise
        _record(self, call, response)
        return response

    putrequest._whatap = True
    cls.putrequest = putrequest
    cls.getresponse = getresponse


def install(tracer):
    when_imported("http.client", patch)
