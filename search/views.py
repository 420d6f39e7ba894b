import nh3
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .backends.base import SearchUnavailable
from .types import EVENT, FACETS, LEARNING_PROCESS, PRACTICE, THREAD

PARAMS = ("q", "type", "theme", "hub", "country", "sdg")


def _link(request_params: dict, **changes) -> str:
    params = {**request_params, **changes}
    params.pop("page", None)
    if "page" in changes and changes["page"] != 1:
        params["page"] = changes["page"]
    return "?" + urlencode({key: value for key, value in params.items() if value})


def _page_context(results, params):
    """Links for the page: facets (as links that add or remove a filter), type tabs,
    pagination. Everything is a plain link: the page works without JavaScript."""
    request = results.request
    facet_titles = {
        "theme": _("Thematic field"),
        "hub": _("Hub or region"),
        "country": _("Country"),
    }
    facets = []
    for name in FACETS:
        active = getattr(request, name)
        items = [
            {
                "label": count.label or count.value,
                "count": count.count,
                "active": count.value == active,
                "url": _link(params, **{name: "" if count.value == active else count.value}),
            }
            for count in results.facets.get(name, [])
        ]
        if items:
            facets.append({"name": name, "title": facet_titles[name], "items": items})
    tabs = [
        {"label": _("Everything"), "url": _link(params, type=""), "active": not request.type},
        {
            "label": _("Good practices"),
            "url": _link(params, type=PRACTICE),
            "active": request.type == PRACTICE,
        },
        {
            "label": _("Consultations"),
            "url": _link(params, type=THREAD),
            "active": request.type == THREAD,
        },
        {
            "label": _("Events"),
            "url": _link(params, type=EVENT),
            "active": request.type == EVENT,
        },
        {
            "label": _("Learning processes"),
            "url": _link(params, type=LEARNING_PROCESS),
            "active": request.type == LEARNING_PROCESS,
        },
    ]
    active_filters = [
        {
            "label": _("SDG %(number)s") % {"number": value}
            if name == "sdg"
            else results.labels.get(name, {}).get(value, value),
            "url": _link(params, **{name: ""}),
        }
        for name in ("theme", "hub", "country", "sdg")
        if (value := getattr(request, name))
    ]
    pages = results.page_count
    return {
        "facets": facets,
        "tabs": tabs,
        "active_filters": active_filters,
        "previous_url": _link(params, page=request.page - 1) if 1 < request.page <= pages else "",
        "next_url": _link(params, page=request.page + 1) if request.page < pages else "",
        "first_url": _link(params, page=1) if request.page > pages and pages else "",
        "page_count": pages,
    }


def _hit_labels(results):
    labels = results.labels
    return [
        {
            "hit": hit,
            "type_label": {
                PRACTICE: _("Good practice"),
                EVENT: _("Event"),
                LEARNING_PROCESS: _("Learning process"),
            }.get(hit.type, _("Consultation")),
            "hub": labels.get("hub", {}).get(hit.hub, hit.hub),
            "country": labels.get("country", {}).get(hit.country, hit.country),
            "themes": [labels.get("theme", {}).get(theme, theme) for theme in hit.themes],
        }
        for hit in results.hits
    ]


@require_GET
def search_page(request):
    """`/search/?q=`: typed results with highlights, facets as links, pagination."""
    params = {key: request.GET.get(key, "") for key in PARAMS}
    context = {"query": params["q"], "params": params}
    status = 200
    try:
        results = selectors.search_results(user=request.user, params=request.GET)
    except SearchUnavailable:
        results, status = None, 503
        context["unavailable"] = True
    if results is not None:
        context.update(results=results, hits=_hit_labels(results), **_page_context(results, params))
    return render(request, "search/search.html", context, status=status)


def _marks_only(snippet: str) -> str:
    """A snippet as the API returns it: the backends give escaped text with <mark> around
    matched words; whatever else a backend let through is escaped or dropped here, so that
    <mark> is the only tag a client can receive."""
    return nh3.clean(snippet or "", tags={"mark"}, attributes={}, strip_comments=True)


@require_GET
def search_api(request):
    """`/api/search/?q=&type=&theme=&hub=&country=&sdg=&page=` as JSON (see DESIGN.md).
    `title` and `snippet` are both HTML, safe to insert as they are: escaped text, with
    <mark> (in the snippet) the only tag."""
    query = str(request.GET.get("q", ""))
    try:
        results = selectors.search_results(user=request.user, params=request.GET)
    except SearchUnavailable:
        body = {"query": query, "total": 0, "page": 1, "results": [], "facets": {}}
        body["error"] = _("Search is unavailable right now. Please try again in a few minutes.")
        return JsonResponse(body, status=503)
    return JsonResponse(
        {
            "query": results.request.query,
            "total": results.total,
            "page": results.request.page,
            "results": [
                {
                    "type": hit.type,
                    "title": escape(hit.title),
                    "url": hit.url,
                    "snippet": _marks_only(hit.snippet),
                    "hub": hit.hub or None,
                    "themes": list(hit.themes),
                    "country": hit.country or None,
                }
                for hit in results.hits
            ],
            "facets": {
                name: [
                    {"value": count.value, "label": count.label, "count": count.count}
                    for count in results.facets.get(name, [])
                ]
                for name in FACETS
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )
