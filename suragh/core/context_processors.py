from django.apps import apps
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from .navigation import menu_for
from .records import Record

SYNTHETIC_CACHE_KEY = "suragh:synthetic-data"
SYNTHETIC_CACHE_SECONDS = 60


def synthetic_data_present() -> bool:
    """Whether any operational record is generated demo data; checked at most once a minute."""
    present = cache.get(SYNTHETIC_CACHE_KEY)
    if present is None:
        present = any(
            model.objects.filter(is_synthetic=True).exists() for model in apps.get_models() if issubclass(model, Record)
        )
        cache.set(SYNTHETIC_CACHE_KEY, present, SYNTHETIC_CACHE_SECONDS)
    return present


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for item in menu_for(user):
            url = reverse(item.url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
        # One item is current: the longest that matches (/stats/quality/ is Data quality, not Statistics).
        current = max((item for item in items if item["active"]), key=lambda item: len(item["url"]), default=None)
        for item in items:
            item["active"] = item is current
    return {"nav_items": items, "synthetic_data": synthetic_data_present()}
