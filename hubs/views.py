from django.shortcuts import render

from . import selectors
from .models import Hub


def hub_list(request):
    return render(request, "hubs/hub_list.html", {"hubs": Hub.objects.all()})


def hub_detail(request, slug):
    hub = selectors.hub_get(slug=slug)
    return render(request, "hubs/hub_detail.html", {"hub": hub})
