"""The parameter envelope and the security key file (docs/paramkey.md)."""
import json
import os
import re
import stat

import pytest

from conftest import REPO
from whatap import paramkey


def test_the_documented_test_vector_is_what_the_agent_produces():
    with open(os.path.join(REPO, "docs", "paramkey-test-vector.json")) as f:
        vector = json.load(f)
    assert vector["key"] == "TESTKEY2ABCDEFGH7XYZ"
    assert vector["iterations"] == paramkey.ITERATIONS == 600000
    salt = paramkey.b64url_decode(vector["salt_b64url"])
    nonce = paramkey.b64url_decode(vector["nonce_b64url"])
    assert salt == bytes(range(16))
    assert nonce == bytes(range(0xA0, 0xAC))
    sealer = paramkey.Sealer(vector["key"], salt=salt)
    envelope = sealer.seal(json.loads(vector["plaintext"]), nonce=nonce)
    assert envelope == vector["envelope"]
    assert paramkey.open_envelope(vector["key"], envelope) == {"q": ["shoes"], "page": ["2"]}
    # The vector is also written into docs/paramkey.md for readers.
    with open(os.path.join(REPO, "docs", "paramkey.md")) as f:
        assert vector["envelope"] in f.read()


def test_each_envelope_has_a_fresh_nonce_and_a_wrong_key_fails():
    sealer = paramkey.Sealer("MYKEY234MYKEY234ABCD", iterations=1000)
    a, b = sealer.seal(["x"]), sealer.seal(["x"])
    assert a != b
    assert a.split(".")[1] == b.split(".")[1]  # one salt per agent process
    assert re.fullmatch(r"v1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+", a)
    assert paramkey.open_envelope("MYKEY234MYKEY234ABCD", a, iterations=1000) == ["x"]
    with pytest.raises(ValueError, match="wrong security key"):
        paramkey.open_envelope("OTHERKEY", a, iterations=1000)


def test_missing_key_file_is_created_random_and_private(tmp_path):
    path = str(tmp_path / "paramkey.txt")
    key, notes = paramkey.load_or_create(path)
    assert re.fullmatch(r"[A-Z2-7]{20}", key)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert any("created" in n for n in notes)
    again, notes2 = paramkey.load_or_create(path)
    assert again == key and notes2 == []
    other, _ = paramkey.load_or_create(str(tmp_path / "other.txt"))
    assert other != key


def test_short_or_exposed_user_keys_get_warnings(tmp_path):
    path = tmp_path / "paramkey.txt"
    path.write_text("abc123\n")
    os.chmod(path, 0o644)
    key, notes = paramkey.load_or_create(str(path))
    assert key == "abc123"
    text = "\n".join(notes)
    assert "short (6 characters)" in text
    assert "chmod 600" in text
