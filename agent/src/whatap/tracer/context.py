"""The transaction of the current request (per thread, per asyncio task)."""
import contextvars

_current = contextvars.ContextVar("whatap_tx", default=None)

current = _current.get
set_current = _current.set
reset_current = _current.reset
