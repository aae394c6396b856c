"""The protocol limits the agent process clamps to (sanitize.py) and the tracer's error rule,
both from the generated whatap/wire_model.py."""
import time

from tracer_harness import call, traced, tracer  # noqa: F401  (fixtures)
from whatap import udp_wire


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


def test_texts_are_clamped_to_the_collectors_limit_counted_as_it_counts():
    from whatap.agent.sanitize import clean_tx
    from whatap.wire_model import MAX_TEXT
    astral = "\U0001F600" * MAX_TEXT  # each counts twice for the collector
    tx = clean_tx({"txid": "0123456789abcdef", "url": "/u" * 5000,
                   "steps": [{"kind": "message", "start": 0, "elapsed": 0, "text": astral},
                             {"kind": "message", "start": 0, "elapsed": 0, "text": "x" * (MAX_TEXT + 5)},
                             {"kind": "message", "start": 0, "elapsed": 0, "text": "y" * MAX_TEXT}]})
    first, second, third = (s["text"] for s in tx["steps"])
    assert utf16_units(first) == MAX_TEXT and first == "\U0001F600" * (MAX_TEXT // 2)
    assert second == "x" * MAX_TEXT
    assert third == "y" * MAX_TEXT  # at the limit: kept whole
    assert len(tx["url"]) == 2048


def test_unknown_step_kinds_are_dropped_and_the_step_list_ends_with_a_truncated_marker():
    from whatap.agent.sanitize import clean_tx
    from whatap.wire_model import MAX_STEPS
    steps = [{"kind": "sql", "start": i, "elapsed": 1, "text": "SELECT 1"} for i in range(MAX_STEPS + 10)]
    tx = clean_tx({"txid": "0123456789abcdef", "steps": [{"kind": "bogus", "start": 0, "elapsed": 0, "text": "?"}] + steps})
    assert len(tx["steps"]) == MAX_STEPS
    assert tx["steps"][0]["kind"] == "sql"
    assert tx["steps"][-1] == {"kind": "truncated", "start": MAX_STEPS - 1, "elapsed": 0,
                               "text": "11 more steps not recorded"}


def test_a_5xx_answer_is_sent_as_its_status_and_counted_as_an_error(tracer):
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        start_response("503 Service Unavailable", [])
        return [b"later"]

    call(app, "/busy")
    tracer.sink.next()
    tracer.tick(time.time())  # start a fresh counter window
    tracer.sink.next(udp_wire.KIND_COUNTER)
    call(app, "/busy")
    _, tx = tracer.sink.next()
    # The collector decides the label ("HTTP 503"); the tracer sends what happened.
    assert tx["status"] == 503 and tx["error"] is None
    tracer.tick(time.time())
    counter = tracer.sink.next(udp_wire.KIND_COUNTER)[1]
    assert counter["txCount"] == 1 and counter["txError"] == 1
