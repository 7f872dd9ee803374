"""How many tips and status checks one connection may send, counted without storing its address.

Each hour has its own random secret, kept only in Django's cache and gone when the hour ends. A connection is
counted under HMAC-SHA256(secret, address), never under the address; once the secret expires, nobody (not even
someone holding the cache and the database) can tell which address a count belonged to, or test a guessed
address against it. The count lives in the cache beside its secret and expires with it.

The cache is Django's default one, shared by every server process (settings.CACHES: files under SURAGH_HOME, or
Redis), so several gunicorn workers count one allowance together.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from suragh.core.middleware import client_ip

WINDOW_SECONDS = 3600
LIMITS = {
    # bucket: (setting / environment variable, default per hour)
    "tip": ("SURAGH_TIPS_PER_HOUR", 10),
    "status": ("SURAGH_TIP_STATUS_CHECKS_PER_HOUR", 30),
}


def limit_for(bucket: str) -> int:
    name, default = LIMITS[bucket]
    configured = getattr(settings, name, None)
    if configured is None:
        configured = os.environ.get(name, default)
    return int(configured)


LATEST_WINDOW_KEY = "tips:rate-latest-window"


def secret_key(window: int) -> str:
    return f"tips:rate-secret:{window}"


def forget_earlier_secrets(window: int) -> None:
    """A file cache deletes an expired entry only when it is next read, and nobody reads an hour's secret once the
    hour is over: delete the secrets of the hours before this one, so that none outlives its hour on disk."""
    latest = cache.get(LATEST_WINDOW_KEY)
    cache.set(LATEST_WINDOW_KEY, window, timeout=None)
    earlier = {window - 1, latest} if isinstance(latest, int) and latest < window else {window - 1}
    cache.delete_many([secret_key(w) for w in earlier])


def window_secret(window: int, expires_in: int) -> bytes:
    key = secret_key(window)
    if cache.add(key, secrets.token_bytes(32), timeout=expires_in):
        forget_earlier_secrets(window)
    secret = cache.get(key)
    if secret is None:  # evicted between add and get: a fresh secret only restarts this hour's counts
        secret = secrets.token_bytes(32)
        cache.set(key, secret, timeout=expires_in)
    return secret


def allow(request: HttpRequest, bucket: str) -> bool:
    """Count this request against its connection's hourly allowance; False once the allowance is used up."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    expires_in = int((window + 1) * WINDOW_SECONDS - now) + 1
    secret = window_secret(window, expires_in)
    digest = hmac.new(secret, f"{bucket}|{client_ip(request)}".encode(), hashlib.sha256).hexdigest()
    key = f"tips:rate:{bucket}:{window}:{digest}"
    cache.add(key, 0, timeout=expires_in)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=expires_in)
        count = 1
    return count <= limit_for(bucket)


TOO_MANY = {
    "tip": "Too many tips have been sent from this connection in the past hour. Please try again in an hour.",
    "status": "Too many status checks from this connection in the past hour. Please try again in an hour.",
}
