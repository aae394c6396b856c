"""A Flask app with parameterized rules, for transaction names (test_route_names.py)."""
from flask import Flask

app = Flask(__name__)


@app.route("/hello")
def hello():
    return "hello"


@app.route("/items/<int:item_id>")
def item(item_id):
    return "item %d" % item_id


@app.route("/users/<name>/orders/<int:order_id>")
def order(name, order_id):
    return "order %s %d" % (name, order_id)
