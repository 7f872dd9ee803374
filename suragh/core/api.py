"""Token authentication for API clients."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .audit import record_event
from .choices import AuditAction
from .models import ApiToken

router = Router(tags=["auth"])


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user__unit")
            .filter(key_hash=_digest(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class TokenRequest(Schema):
    username: str
    password: str


class TokenResponse(Schema):
    token: str
    expires_at: str


class ErrorResponse(Schema):
    detail: str


@router.post(
    "/token",
    auth=None,
    response={200: TokenResponse, 401: ErrorResponse, 429: ErrorResponse},
    summary="Get an API token",
)
def issue_token(request: HttpRequest, credentials: TokenRequest):
    """Exchange a username and password for a bearer token (valid for SURAGH_API_TOKEN_HOURS hours)."""
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, "Too many wrong passwords for this account; try again later.")
    if user is None or not user.is_active:
        raise HttpError(401, "Wrong username or password.")
    key = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(hours=settings.SURAGH_API_TOKEN_HOURS)
    ApiToken.objects.create(user=user, key_hash=_digest(key), expires_at=expires_at)
    record_event(user, AuditAction.LOGIN, user, fields={"via": "api token"})
    return {"token": key, "expires_at": expires_at.isoformat()}
