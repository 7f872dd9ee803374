from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from suragh.core.listing import render_list

from .forms import WorkFilterForm
from .worklist import KINDS, has_worklist, worklist_for


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_worklist(user):
        # Like other pages a role has no use for: nothing to show, nothing to say it exists.
        raise Http404
    form = WorkFilterForm(request.GET or None, kinds=KINDS[user.role])
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    work = worklist_for(user, now=timezone.now(), kinds=[kind] if kind else None)
    return render_list(request, "work/worklist.html", "work/_worklist_table.html", {"form": form, "work": work})
