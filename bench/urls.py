"""The site's URLs plus the floor of page serving, `/__bench__/floor`: the site's base
template (header, navigation, footer) with nothing in it, rendered by Django like any page.
Only the benchmark's servers load this URLconf (bench/settings.py)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

FLOOR = '{% extends "base.html" %}'


def floor(request):
    """The cheapest page the site could serve: its frame and nothing else."""
    return HttpResponse(engines["django"].from_string(FLOOR).render(request=request))


urlpatterns = [
    path("__bench__/floor", floor),
    path("", include("network.urls")),
]
