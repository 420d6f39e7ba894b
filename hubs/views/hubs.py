from django.shortcuts import render

from .. import selectors
from ..models import Hub
from .threads import thread_section_context


def hub_list(request):
    return render(request, "hubs/hub_list.html", {"hubs": Hub.objects.all()})


def hub_detail(request, slug):
    hub = selectors.hub_get(slug=slug)
    context = {"hub": hub, **thread_section_context(request, hub)}
    return render(request, "hubs/hub_detail.html", context)
