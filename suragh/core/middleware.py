from django.http import HttpRequest, HttpResponse

from .audit import RequestContext, current_request


def client_ip(request: HttpRequest) -> str:
    # Behind a reverse proxy the operator sets SURAGH_TRUSTED_PROXY so X-Forwarded-For is believed.
    from django.conf import settings

    if getattr(settings, "SURAGH_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Remembers where a request came from, so audit events can say so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(RequestContext(client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:255]))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
