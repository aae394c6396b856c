"""pymysql and MySQLdb (mysqlclient) against a throw-away MariaDB: connect, SQL steps with the
normalized text, fetch counts, bind values in placeholder order, errors masked."""
import pytest

from servers_db import mariadb  # noqa: F401  (the throw-away MariaDB fixture)
from tracer_harness import body_app, call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)


def _connect(driver, db):
    if driver == "pymysql":
        import pymysql
        return pymysql.connect(host=db["host"], port=db["port"], user=db["user"], database=db["database"],
                               autocommit=True)
    import MySQLdb
    return MySQLdb.connect(host=db["host"], port=db["port"], user=db["user"], db=db["database"], autocommit=True)


def _dict_cursor(driver, conn):
    if driver == "pymysql":
        import pymysql.cursors
        return conn.cursor(pymysql.cursors.DictCursor)
    import MySQLdb.cursors
    return conn.cursor(MySQLdb.cursors.DictCursor)


def _ss_cursor(driver, conn):
    if driver == "pymysql":
        import pymysql.cursors
        return conn.cursor(pymysql.cursors.SSCursor)
    import MySQLdb.cursors
    return conn.cursor(MySQLdb.cursors.SSCursor)


@pytest.mark.parametrize("driver", ["pymysql", "MySQLdb"])
def test_mysql_drivers_connect_sql_fetch_and_binds(tracer, mariadb, driver):  # noqa: F811
    pytest.importorskip(driver)
    tracer.configure(profile_sql_param_enabled="true")
    table = "items_" + driver.lower()

    def body():
        conn = _connect(driver, mariadb)
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS %s" % table)
        cur.execute("CREATE TABLE %s (id INT PRIMARY KEY, name VARCHAR(20) UNIQUE)" % table)
        cur.executemany("INSERT INTO " + table + " (id, name) VALUES (%s, %s)", [(1, "a"), (2, "b"), (3, "c")])
        cur.executemany("UPDATE " + table + " SET name = %s WHERE id = %s", [("bb", 2), ("cc", 3)])
        cur.execute("SELECT id, name FROM " + table + " WHERE id >= %(low)s AND name <> 'zz' ORDER BY id",
                    {"low": 2})
        one = cur.fetchone()
        more = cur.fetchmany(5)
        dict_cur = _dict_cursor(driver, conn)
        dict_cur.execute("SELECT name FROM " + table + " ORDER BY id")
        names = [r["name"] for r in dict_cur]
        ss = _ss_cursor(driver, conn)
        ss.execute("SELECT id FROM " + table)
        streamed = list(ss)
        ss.close()
        try:
            cur.execute("INSERT INTO " + table + " (id, name) VALUES (%s, %s)", (4, "a"))
        except conn.IntegrityError:
            pass
        conn.close()
        return ("%s %d %s %d" % (one[1], len(more), ",".join(names), len(streamed))).encode()

    assert call(body_app(body), "/" + driver)[1] == b"bb 1 a,bb,cc 3"
    _, tx = tracer.sink.next()
    dbc = [s for s in tx["steps"] if s["kind"] == "dbc"]
    assert len(dbc) == 1 and dbc[0]["text"] == "%s 127.0.0.1:%d/app" % (driver, mariadb["port"])
    steps = [s for s in tx["steps"] if s["kind"] == "sql"]
    assert [s["text"] for s in steps] == [
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE %s (id INT PRIMARY KEY, name VARCHAR(?) UNIQUE)" % table,
        "INSERT INTO %s (id, name) VALUES (?, ?)" % table,
        "UPDATE %s SET name = ? WHERE id = ?" % table,    # executemany looping over execute: one step
        "SELECT id, name FROM %s WHERE id >= ? AND name <> ? ORDER BY id" % table,
        "SELECT name FROM %s ORDER BY id" % table,
        "SELECT id FROM " + table,
        "INSERT INTO %s (id, name) VALUES (?, ?)" % table]
    assert steps[2]["p"] == [1, "a"] and steps[3]["p"] == ["bb", 2]
    assert steps[4]["p"] == [2, "zz"] and steps[4]["fetch"] == 2
    assert steps[5]["fetch"] == 3 and steps[6]["fetch"] == 3
    # The duplicate value is masked where it is shown; the original only travels encrypted.
    assert "Duplicate entry '#'" in steps[7]["error"] and "'a'" not in steps[7]["error"]
    assert steps[7]["p"] == [4, "a"]
    assert tx["sqlCount"] == 8


def test_pymysql_binds_are_not_collected_when_collection_is_off(tracer, mariadb):  # noqa: F811
    pytest.importorskip("pymysql")

    def body():
        conn = _connect("pymysql", mariadb)
        cur = conn.cursor()
        cur.execute("SELECT %s, 'x'", ("secret",))
        cur.fetchall()
        conn.close()
        return b"ok"

    call(body_app(body), "/off")
    _, tx = tracer.sink.next()
    step = [s for s in tx["steps"] if s["kind"] == "sql"][0]
    assert step["text"] == "SELECT ?, ?" and "p" not in step and step["fetch"] == 1
