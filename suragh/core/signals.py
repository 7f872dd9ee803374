"""Sign-in events belong in the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record_event
from .choices import AuditAction


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    record_event(user, AuditAction.LOGIN, user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(user, AuditAction.LOGOUT, user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    record_event(None, AuditAction.LOGIN_FAILED, fields={"username": credentials.get("username", "")[:150]})
