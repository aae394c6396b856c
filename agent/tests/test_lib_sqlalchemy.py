"""SQLAlchemy 1.4 Core and ORM over sqlite3, psycopg2 and pymysql (real PostgreSQL and MariaDB):
one SQL step per statement SQLAlchemy sends, never a second one from the driver's own hook,
with bind values in placeholder order and fetch counts."""
import pytest

from servers_db import mariadb, postgres  # noqa: F401  (throw-away database fixtures)
from tracer_harness import body_app, call, traced, tracer  # noqa: F401  (the in-process tracer fixtures)
from whatap.hooks.sqlnorm import normalize

sqlalchemy = pytest.importorskip("sqlalchemy")


@pytest.fixture(params=["sqlite3", "psycopg2", "pymysql"])
def engine_url(request, tmp_path):
    if request.param == "sqlite3":
        return "sqlite:///%s" % (tmp_path / "sa.sqlite3")
    if request.param == "psycopg2":
        pg = request.getfixturevalue("postgres")
        return "postgresql+psycopg2://%s@%s:%d/%s" % (pg["user"], pg["host"], pg["port"], pg["dbname"])
    db = request.getfixturevalue("mariadb")
    return "mysql+pymysql://%s@%s:%d/%s" % (db["user"], db["host"], db["port"], db["database"])


class Sent:
    """What SQLAlchemy hands the DB-API cursor, seen through its own public event."""

    def __init__(self, engine):
        self.statements = []
        sqlalchemy.event.listen(engine, "before_cursor_execute", self.on)

    def on(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(normalize(statement)[0])


def test_core_and_orm_statements_are_one_step_each(tracer, engine_url):
    from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
    from sqlalchemy.orm import Session, declarative_base
    tracer.configure(profile_sql_param_enabled="true")
    engine = sqlalchemy.create_engine(engine_url, future=True)
    metadata = MetaData()
    items = Table("sa_items", metadata, Column("id", Integer, primary_key=True), Column("name", String(20)))
    Base = declarative_base()

    class User(Base):
        __tablename__ = "sa_users"
        id = Column(Integer, primary_key=True)
        name = Column(String(20))

    with engine.begin() as conn:  # outside any transaction: nothing recorded
        metadata.drop_all(conn)
        Base.metadata.drop_all(conn)
        metadata.create_all(conn)
        Base.metadata.create_all(conn)
    sent = Sent(engine)

    def body():
        with engine.begin() as conn:
            conn.execute(insert(items), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}])
            rows = conn.execute(select(items.c.name).where(items.c.id >= 2).where(items.c.name != "zz")
                                .order_by(items.c.id)).fetchall()
        with Session(engine) as session:
            session.add(User(name="ann"))
            session.commit()
            found = session.query(User).filter(User.name == "ann").all()
        return ("%s %d" % (",".join(r[0] for r in rows), len(found))).encode()

    assert call(body_app(body), "/sa")[1] == b"b,c 1"
    _, tx = tracer.sink.next()
    steps = [s for s in tx["steps"] if s["kind"] == "sql"]
    assert [s["text"] for s in steps] == sent.statements    # each statement once, in order
    assert len(steps) >= 4 and tx["sqlCount"] == len(steps)
    insert_step = steps[0]
    assert insert_step["text"].startswith("INSERT INTO sa_items") and insert_step["p"] == [1, "a"]
    select_step = [s for s in steps if s["text"].startswith("SELECT sa_items.name")][0]
    assert select_step["p"] == [2, "zz"] and select_step["fetch"] == 2
    orm_select = [s for s in steps if "FROM sa_users" in s["text"]][-1]
    assert orm_select["p"] == ["ann"] and orm_select["fetch"] == 1
    engine.dispose()


def test_a_failing_statement_is_one_step_with_its_error(tracer, tmp_path):
    from sqlalchemy import text
    engine = sqlalchemy.create_engine("sqlite:///%s" % (tmp_path / "err.sqlite3"), future=True)

    def body():
        with engine.connect() as conn:
            try:
                conn.execute(text("SELECT * FROM missing WHERE name = 'secret'"))
            except sqlalchemy.exc.OperationalError:
                return b"handled"
        return b"no error"

    assert call(body_app(body), "/sa-error")[1] == b"handled"
    _, tx = tracer.sink.next()
    steps = [s for s in tx["steps"] if s["kind"] == "sql"]
    # The first connection's dialect set-up (a PRAGMA, sent by SQLAlchemy on the raw connection) is
    # the sqlite3 hook's; the failing statement is SQLAlchemy's, once.
    assert [s["text"] for s in steps if not s["text"].startswith("PRAGMA")] == \
        ["SELECT * FROM missing WHERE name = ?"]
    assert "no such table: missing" in steps[-1]["error"]
    engine.dispose()
