"""Values in error texts: masked where they are shown, the original only in the encrypted
parameters (issue 12, item 15). The PostgreSQL texts are the ones psycopg2 2.9 / PostgreSQL 15
print; the end-to-end check with a real server and the real collector is in
test_error_masking_e2e.py."""
import pytest

from tracer_harness import call, traced, tracer  # noqa: F401  (fixtures)
from whatap.tracer.masking import mask

PG = [
    ('null value in column "name" of relation "t" violates not-null constraint\n'
     'DETAIL:  Failing row contains (2, null, probeA-7731, null).\n',
     'null value in column "name" of relation "t" violates not-null constraint\n'
     'DETAIL:  Failing row contains (#).\n'),
    ('duplicate key value violates unique constraint "t_email_key"\n'
     'DETAIL:  Key (email)=(probe@x.y) already exists.\n',
     'duplicate key value violates unique constraint "t_email_key"\n'
     'DETAIL:  Key (email)=(#) already exists.\n'),
    ('insert or update on table "child" violates foreign key constraint "child_tid_fkey"\n'
     'DETAIL:  Key (tid, k)=(77, probe) is not present in table "t".\n',
     'insert or update on table "child" violates foreign key constraint "child_tid_fkey"\n'
     'DETAIL:  Key (tid, k)=(#) is not present in table "t".\n'),
    ('duplicate key value violates unique constraint "u"\nDETAIL:  Key (lower(email::text))=(pro)be) already exists.',
     'duplicate key value violates unique constraint "u"\nDETAIL:  Key (lower(email::text))=(#) already exists.'),
    ('invalid input syntax for type integer: "probe"\nLINE 1: SELECT * FROM t WHERE name = \'probeLit\' AND id = '
     '\'probe\'\n                                                         ^\n',
     'invalid input syntax for type integer: "#"\nLINE 1: SELECT * FROM t WHERE name = ? AND id = ?\n'),
    ('syntax error at or near "\'probe\'"\nLINE 1: SELECT \'probeS\' \'probe\' FROM\n                             ^\n',
     'syntax error at or near "#"\nLINE 1: SELECT ? ? FROM\n'),
    ('date/time field value out of range: "2020-13-45"\nLINE 1: SELECT \'2020-13-45\'::date\n               ^\n'
     'HINT:  Perhaps you need a different "datestyle" setting.\n',
     'date/time field value out of range: "#"\nLINE 1: SELECT ?::date\n'
     'HINT:  Perhaps you need a different "datestyle" setting.\n'),
    ('invalid input syntax for type json\nLINE 1: SELECT \'{probe\'::json\n               ^\n'
     'DETAIL:  Token "probe" is invalid.\nCONTEXT:  JSON data, line 1: {probe\n',
     'invalid input syntax for type json\nLINE 1: SELECT ?::json\n'
     'DETAIL:  Token "#" is invalid.\nCONTEXT:  JSON data, line 1: #\n'),
    ('malformed array literal: "{probe"\nLINE 1: SELECT \'{probe\'::int[]\n               ^\n',
     'malformed array literal: "#"\nLINE 1: SELECT ?::int[]\n'),
    ('insert or update on table "t" violates foreign key constraint "f"\nDETAIL:  Key (k)=(probe) is not present '
     'in table "u".\nCONTEXT:  SQL statement "INSERT INTO t (k, note) VALUES (\'probe\', \'probe\')"\n'
     'PL/pgSQL function add_t(text) line 3 at SQL statement\n',
     'insert or update on table "t" violates foreign key constraint "f"\nDETAIL:  Key (k)=(#) is not present '
     'in table "u".\nCONTEXT:  SQL statement "INSERT INTO t (k, note) VALUES (?, ?)"\n'
     'PL/pgSQL function add_t(text) line 3 at SQL statement\n'),
    ("division by zero\nQUERY:  SELECT 'probe' || 1/0", "division by zero\nQUERY:  SELECT ? || ?/?"),
    ('value "99999999999" is out of range for type integer', 'value "#" is out of range for type integer'),
    # PostgreSQL cuts a long echo with "...": the unterminated literal must not survive.
    ("syntax error\nLINE 1: ...FROM t WHERE a = 'probe probe probe probe probe probe probe pro...\n  ^\n",
     "syntax error\nLINE 1: ...FROM t WHERE a = ?...\n"),
]

MYSQL = [
    ("(1062, \"Duplicate entry 'probe@x.y' for key 'users.email'\")",
     "(1062, \"Duplicate entry '#' for key 'users.email'\")"),
    ("(1366, \"Incorrect integer value: 'probe' for column 'age' at row 1\")",
     "(1366, \"Incorrect integer value: '#' for column 'age' at row 1\")"),
    ("(1292, \"Truncated incorrect DOUBLE value: 'probe'\")", "(1292, \"Truncated incorrect DOUBLE value: '#'\")"),
    ("(1064, \"You have an error in your SQL syntax; check the manual that corresponds to your MySQL server "
     "version for the right syntax to use near 'VALUES ('probe')' at line 1\")",
     "(1064, \"You have an error in your SQL syntax; check the manual that corresponds to your MySQL server "
     "version for the right syntax to use near '#' at line 1\")"),
]

SQLITE = [
    ("NOT NULL constraint failed: t.name", "NOT NULL constraint failed: t.name"),
    ("UNIQUE constraint failed: users.email", "UNIQUE constraint failed: users.email"),
    ("CHECK constraint failed: n < 100", "CHECK constraint failed: n < 100"),
    ('near "\'probe\'": syntax error', 'near "#": syntax error'),
    ('near "FROM": syntax error', 'near "FROM": syntax error'),
    ("no such table: missing_table", "no such table: missing_table"),
]

URLS = [
    ("HTTPConnectionPool(host='api', port=80): Max retries exceeded with url: /v1/users?token=probe&id=7 "
     "(Caused by NewConnectionError('refused'))",
     "HTTPConnectionPool(host='api', port=80): Max retries exceeded with url: /v1/users?token=#&id=# "
     "(Caused by NewConnectionError('refused'))"),
    ("404 Client Error: Not Found for url: https://api.example/find?q=probe;flag",
     "404 Client Error: Not Found for url: https://api.example/find?q=#;#"),
    ("cannot reach http://user:probe@db.example:5432/x", "cannot reach http://user:#@db.example:5432/x"),
    ("HTTP Error 500: Internal Server Error", "HTTP Error 500: Internal Server Error"),
]


@pytest.mark.parametrize("text, shown", PG + MYSQL + SQLITE + URLS)
def test_values_are_masked_and_names_kept(text, shown):
    assert mask(text) == shown
    assert mask(shown) == shown  # idempotent: the agent process masks again


@pytest.mark.parametrize("text", [
    "card 4111 declined", "bad id 42", "division by zero", "'NoneType' object has no attribute 'x'",
    'relation "users" does not exist\nLINE 1: SELECT * FROM users\n                      ^\n'.replace(
        "\n                      ^\n", "\n"),
    "SELECT ? FROM t WHERE a = ?", "Is this a question? yes",
])
def test_texts_without_quoted_values_are_left_alone(text):
    assert mask(text) == text


def _sqlite_app(value):
    import sqlite3
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (a TEXT)")
        try:
            conn.execute("SELECT 'x' 'y' '%s'" % value)  # near "'<value>'": syntax error
        except sqlite3.OperationalError:
            pass
        raise ValueError("Key (email)=(%s) already exists." % value)
    return app


def test_step_and_transaction_errors_are_masked_and_originals_dropped_when_parameters_are_off(tracer):
    with pytest.raises(ValueError):
        call(_sqlite_app("probeB-5512"), "/masked")
    _, tx = tracer.sink.next()
    assert "probeB-5512" not in repr(tx) and "5512" not in repr(tx)
    assert tx["error"]["message"] == "Key (email)=(#) already exists."
    assert "Key (email)=(#) already exists." in tx["error"]["stack"]
    sql = [s for s in tx["steps"] if s["kind"] == "sql"]
    assert sql[-1]["error"] == 'sqlite3.OperationalError: near "#": syntax error'
    assert not any("p" in s for s in tx["steps"])


def test_originals_go_into_the_parameters_when_sql_parameters_are_on(tracer):
    tracer.configure(profile_sql_param_enabled="true")
    with pytest.raises(ValueError):
        call(_sqlite_app("probeC-6613"), "/masked")
    _, tx = tracer.sink.next()
    shown = repr({k: v for k, v in tx.items() if k != "steps"}) + repr([
        {k: v for k, v in s.items() if k != "p"} for s in tx["steps"]])
    assert "probeC" not in shown
    kept = [s for s in tx["steps"] if s["kind"] == "message" and "p" in s]
    assert [s["p"]["error"] for s in kept] == [
        "sqlite3.OperationalError: near \"'probeC-6613'\": syntax error",
        "ValueError: Key (email)=(probeC-6613) already exists."]
    assert all("encrypted" in s["text"] for s in kept)
    kinds = [s["kind"] for s in tx["steps"]]
    assert kinds[kinds.index("error") + 1] == "message"  # right after what it belongs to


def test_an_http_client_error_quoting_a_url_with_its_query(tracer, backend):
    import requests
    import whatap

    @whatap.register_app
    def app(environ, start_response):
        requests.get(backend + "/nothing-here?token=probeQ-8841", timeout=10).raise_for_status()

    with pytest.raises(requests.HTTPError):
        call(app, "/fetch")
    _, tx = tracer.sink.next()
    assert "probeQ" not in repr(tx)
    assert tx["error"]["message"] == "404 Client Error: Not Found for url: %s/nothing-here?token=#" % backend


def test_unmasked_errors_add_nothing(tracer):
    import whatap
    tracer.configure(profile_sql_param_enabled="true")

    @whatap.register_app
    def app(environ, start_response):
        raise KeyError("missing")

    with pytest.raises(KeyError):
        call(app, "/plain")
    _, tx = tracer.sink.next()
    assert [s["kind"] for s in tx["steps"]] == ["error"]


def test_the_agent_process_masks_what_an_older_tracer_sends():
    from whatap.agent.sanitize import clean_tx
    raw = {"txid": "0123456789abcdef", "error": {"class": "E", "message": "Failing row contains (probe).",
                                                 "stack": "E: Failing row contains (probe)."},
           "steps": [{"kind": "sql", "start": 0, "elapsed": 1, "text": "INSERT",
                      "error": "Key (a)=(probe) already exists"}]}
    tx = clean_tx(raw)
    assert "probe" not in repr(tx)
    assert tx["error"]["message"] == "Failing row contains (#)."
    assert tx["steps"][0]["error"] == "Key (a)=(#) already exists"
