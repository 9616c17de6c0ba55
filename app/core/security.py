"""Passwords (scrypt, stdlib) and high-entropy tokens (SHA-256 digests): what is stored, never the secret.

- `hash_password` uses N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s); hashes made with weaker
  parameters still verify, and `needs_rehash` tells the login to store a new one.
- `verify_password` of an unknown user runs against `DUMMY_HASH`, so a wrong user name takes as long
  as a wrong password (no user-name guessing by timing).
- `password_problem`: the minimal policy: at least 10 characters, not only digits, not a common
  password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MAX_MEMORY = 64 * 1024 * 1024

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "123456789a",
        "a123456789",
        "abcdefghij",
        "administrator",
        "changeme123",
        "iloveyou123",
        "letmein123",
        "password01",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "qwertyuiop",
        "qwerty12345",
        "1q2w3e4r5t",
        "qazwsxedcrfv",
        "woaini1314",
        "woaini520",
        "zhang123456",
        "admin12345",
        "admin123456",
        "welcome123",
    }
)


def password_problem(password: str) -> str | None:
    """Why `password` is too weak, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if password.isdigit():
        return "a password must not be only digits"
    if password.lower() in COMMON_PASSWORDS or len(set(password)) == 1:
        return "this password is too common"
    return None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=MAX_MEMORY)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, 32)
    encoded = [base64.b64encode(part).decode() for part in (salt, digest)]
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded])


DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
"""Checked against when the user is unknown, so that the answer takes as long as for a known one."""


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """Whether `stored` was made with weaker parameters than `hash_password` uses now."""
    try:
        scheme, n, r, p, *_ = stored.split("$")
        return scheme != "scrypt" or (int(n), int(r), int(p)) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    except ValueError:
        return True


def new_token() -> str:
    """A random bearer or calendar token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    return secrets.token_urlsafe(12)
