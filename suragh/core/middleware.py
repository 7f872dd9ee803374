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


class RequestSizeMiddleware:
    """Refuses a request too large to take in before anything reads it, saying how large it was and what is
    accepted: form and JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE, uploads up to SURAGH_MAX_UPLOAD_BYTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.content_type == "multipart/form-data"
        limit = settings.SURAGH_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            what = "An upload" if multipart else "Form or JSON data"
            return too_large(
                request, f"The request is {megabytes(length)}; {what} of at most {megabytes(limit)} is accepted."
            )
        return self.get_response(request)


def megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB"


def too_large(request: HttpRequest, detail: str) -> HttpResponse:
    from django.http import JsonResponse
    from django.utils.html import escape

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=413)
    return HttpResponse(f"<!doctype html><title>Too large</title><h1>Too large</h1><p>{escape(detail)}</p>", status=413)
