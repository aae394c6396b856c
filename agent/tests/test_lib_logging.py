"""Log records at ERROR and above inside a transaction become message steps
(trace_logging_enabled, default on); lower levels, records outside a transaction and records
with the option off do not. Values error texts quote are masked."""
import logging

from tracer_harness import call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)


def _app(body):
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        body()
        start_response("200 OK", [])
        return [b"ok"]
    return app


def _messages(tx):
    return [s for s in tx["steps"] if s["kind"] == "message"]


def _log_everything():
    log = logging.getLogger("shop.payments")
    quiet = logging.getLogger("shop.quiet")
    quiet.propagate = False  # no handler anywhere: still a step
    log.info("charging card")
    log.warning("slow gateway")
    log.error("card %s declined", "visa")
    quiet.critical("ledger unreachable")
    try:
        raise ValueError("amount must be positive")
    except ValueError:
        log.exception("refund failed")
    log.error('insert failed: Key (email)=(ann@example.com) already exists.')


def test_error_records_become_message_steps(tracer):  # noqa: F811
    call(_app(_log_everything), "/log")
    _, tx = tracer.sink.next()
    texts = [s["text"] for s in _messages(tx)]
    assert texts == ["ERROR shop.payments: card visa declined",
                     "CRITICAL shop.quiet: ledger unreachable",
                     "ERROR shop.payments: refund failed (ValueError: amount must be positive)",
                     "ERROR shop.payments: insert failed: Key (email)=(#) already exists."]
    assert "p" not in _messages(tx)[-1]  # parameter collection off: the original is not kept


def test_the_original_of_a_masked_record_travels_only_as_a_parameter(tracer):  # noqa: F811
    tracer.configure(profile_sql_param_enabled="true")
    call(_app(lambda: logging.getLogger("shop").error("dup: Key (email)=(ann@example.com) already exists.")),
         "/log-params")
    _, tx = tracer.sink.next()
    step = _messages(tx)[0]
    assert "ann@example.com" not in step["text"] and "(#)" in step["text"]
    assert step["p"] == {"error": "ERROR shop: dup: Key (email)=(ann@example.com) already exists."}


def test_option_off_and_records_outside_transactions(tracer):  # noqa: F811
    tracer.configure(trace_logging_enabled="false")
    call(_app(_log_everything), "/log-off")
    _, tx = tracer.sink.next()
    assert _messages(tx) == []
    tracer.configure()
    logging.getLogger("shop.payments").error("outside any request")  # nothing to add it to, nothing sent
    call(_app(lambda: None), "/after")
    _, tx = tracer.sink.next()
    assert tx["url"] == "/after" and _messages(tx) == []


def test_a_logged_exception_that_is_the_transaction_error_is_not_kept_twice(tracer):  # noqa: F811
    from whatap.tracer import context
    tracer.configure(profile_sql_param_enabled="true")

    def body():
        try:
            raise KeyError("Key (email)=(ann@example.com) already exists.")
        except KeyError as e:
            context.current().set_error(e)       # what the framework hooks do first (Flask, Django)
            logging.getLogger("app").exception("Exception on /signup [GET]")
            logging.getLogger("app").error("retry failed", exc_info=ValueError("Key (card)=(4111-1111) "
                                                                             "already exists."))

    call(_app(body), "/dup")
    _, tx = tracer.sink.next()
    logged = [s for s in _messages(tx) if s["text"].startswith("ERROR app:")]
    assert logged[0]["text"].startswith("ERROR app: Exception on /signup [GET] (KeyError: ")
    assert "ann@example.com" not in logged[0]["text"] and "p" not in logged[0]   # the error step keeps it
    originals = [s["p"]["error"] for s in _messages(tx) if "p" in s]
    assert sum("ann@example.com" in o for o in originals) == 1
    assert logged[1]["text"].startswith("ERROR app: retry failed (ValueError: Key (card)=(#) already exists.)")
    assert logged[1]["p"] == {"error": "ERROR app: retry failed (ValueError: Key (card)=(4111-1111) already exists.)"}
