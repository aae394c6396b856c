"""User code a method-step test traces (plugin patterns), counting its calls."""
calls = []


def work(n):
    calls.append(n)
    return n * 10


def fail(n):
    calls.append(n)
    raise LookupError("no item %d" % n)
