"""The FastAPI orders service the full-stack suite runs under uvicorn (2 workers) with
whatap-start-agent: SQLAlchemy Core over sqlite3 with bind values, awaits between queries."""
import asyncio
import os

from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, exc, insert, select

engine = create_engine("sqlite:///" + os.environ["ORDERS_DB"], connect_args={"timeout": 10})
metadata = MetaData()
orders = Table("orders", metadata, Column("id", Integer, primary_key=True), Column("ref", Integer),
               Column("coupon", String(64)))
try:
    metadata.create_all(engine)
except exc.OperationalError:
    pass  # the other worker created it first

app = FastAPI()


@app.get("/orders/{order_id}")
async def order(order_id: int, coupon: str = ""):
    with engine.begin() as conn:
        conn.execute(insert(orders).values(ref=order_id, coupon=coupon))
    await asyncio.sleep(0.01)  # other requests run here: their steps stay theirs
    with engine.connect() as conn:
        rows = conn.execute(select(orders.c.id, orders.c.coupon).where(orders.c.coupon == coupon).limit(5)).fetchall()
    return {"order": order_id, "found": len(rows), "pid": os.getpid()}


@app.get("/reports/{month}")
async def report(month: str):
    await asyncio.sleep(1.1)  # a slow transaction
    return {"month": month}


@app.get("/payments/{order_id}")
async def pay(order_id: int):
    raise RuntimeError("the payment service is unavailable")
