"""The security key (``paramkey.txt``) and the parameter envelope.

Envelope: ``v1.<salt>.<nonce>.<ciphertext+tag>``, each part base64url without padding.
Key = PBKDF2-HMAC-SHA256(paramkey UTF-8, salt, 600,000 iterations, 32 bytes); cipher =
AES-256-GCM, 12-byte nonce, no associated data; plaintext = UTF-8 JSON of the value.
Only the agent process encrypts; the console decrypts in the browser (docs/paramkey.md).
"""
import base64
import json
import os
import secrets

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
KEY_LENGTH = 20
SHORT_KEY = 16
ITERATIONS = 600000
SALT_BYTES = 16
NONCE_BYTES = 12

try:  # cryptography is optional: without it parameters are not collected
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    CRYPTO_ERROR = None
except Exception as _e:  # ImportError, or a broken binary wheel
    CRYPTO_ERROR = "%s: %s" % (type(_e).__name__, _e)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_key():
    return "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))


def load_or_create(path):
    """Returns ``(key or None, [warnings])``; creates a random key (mode 0600) when missing."""
    notes = []
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fd = None
    except OSError as e:
        return None, ["cannot create %s: %s; parameters are not collected" % (path, e.strerror or e)]
    if fd is not None:
        key = generate_key()
        with os.fdopen(fd, "w") as f:
            f.write(key + "\n")
        notes.append("created %s with a new random security key (mode 0600); "
                     "enter it in the console to reveal parameters" % path)
        return key, notes
    try:
        with open(path, "r", encoding="utf-8") as f:
            key = f.read().strip()
        mode = os.stat(path).st_mode & 0o777
    except OSError as e:
        return None, ["cannot read %s: %s; parameters are not collected" % (path, e.strerror or e)]
    if not key:
        return None, ["%s is empty; parameters are not collected" % path]
    if len(key) < SHORT_KEY:
        notes.append("WARNING: the security key in %s is short (%d characters); use at least %d, "
                     "for example 20 random characters of A-Z and 2-7" % (path, len(key), SHORT_KEY))
    if mode & 0o077:
        notes.append("WARNING: %s can be read by other users (mode %04o); run chmod 600 on it" % (path, mode))
    return key, notes


def derive(key, salt, iterations=ITERATIONS):
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(key.encode("utf-8"))


def to_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Sealer:
    """Encrypts parameter values; the key is derived once per agent process (one salt)."""

    def __init__(self, key, salt=None, iterations=ITERATIONS):
        if CRYPTO_ERROR:
            raise RuntimeError("cryptography is not available (%s)" % CRYPTO_ERROR)
        salt = os.urandom(SALT_BYTES) if salt is None else salt
        self._aead = AESGCM(derive(key, salt, iterations))
        self._prefix = "v1." + b64url(salt) + "."

    def seal(self, value, nonce=None):
        nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
        sealed = self._aead.encrypt(nonce, to_json(value).encode("utf-8"), None)
        return self._prefix + b64url(nonce) + "." + b64url(sealed)


def open_envelope(key, envelope, iterations=ITERATIONS):
    """Decrypts an envelope (tests and tools); raises ValueError on a wrong key."""
    version, salt, nonce, sealed = envelope.split(".")
    if version != "v1":
        raise ValueError("unknown envelope version %r" % version)
    aead = AESGCM(derive(key, b64url_decode(salt), iterations))
    try:
        plain = aead.decrypt(b64url_decode(nonce), b64url_decode(sealed), None)
    except Exception:
        raise ValueError("wrong security key")
    return json.loads(plain.decode("utf-8"))
