"""Every URL pattern answers bad input with a 4xx, never a 5xx: huge integers, NUL bytes,
over-long slugs, more query parameters than Django accepts, huge page numbers and offsets."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

HUGE = "1" * 25
CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")
TOO_MANY = "&".join(f"f{n}=1" for n in range(1200))


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _concrete(route: str, value: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    route = REGEX_GROUP.sub(value, route)
    route = CONVERTER.sub(value, route)
    route = re.sub(r"[\^\$\?\*\+\(\)\[\]]", "", route)
    return "/" + route.lstrip("/")


def _urls():
    routes = sorted(set(_patterns(get_resolver().url_patterns)))
    urls = set()
    for route in routes:
        for value in (HUGE, "x%00y", "a" * 300):
            urls.add(_concrete(route, value))
    return sorted(urls)


def _assert_no_5xx(client, urls, method="get", **extra):
    failures = []
    for url in urls:
        response = getattr(client, method)(url, **extra)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    assert not failures, failures


@pytest.fixture
def fuzz_client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_every_pattern_answers_bad_path_values_with_a_4xx(fuzz_client, member):
    urls = _urls()
    assert len(urls) > 100  # the whole site, admin included
    _assert_no_5xx(fuzz_client, urls)
    fuzz_client.force_login(member)
    _assert_no_5xx(fuzz_client, urls)
    _assert_no_5xx(fuzz_client, urls, method="post")


SITE_PAGES = ["/", "/hubs/", "/search/", "/api/search/", "/practices/", "/members/experts/"]


@pytest.mark.django_db
def test_too_many_query_parameters_is_a_400(fuzz_client, member):
    for page in SITE_PAGES:  # anonymous: refused, or sent to log in first
        assert fuzz_client.get(f"{page}?{TOO_MANY}").status_code in (302, 400), page
    fuzz_client.force_login(member)
    for page in SITE_PAGES:
        assert fuzz_client.get(f"{page}?{TOO_MANY}").status_code == 400, page
    response = fuzz_client.post(
        "/hubs/mena/join/", data=TOO_MANY, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/members/{HUGE}/",
        f"/api/v2/pages/?offset={HUGE}",
        f"/api/v2/pages/?limit={HUGE}",
        f"/api/v2/pages/{HUGE}/",
        f"/practices/?page={HUGE}",
        f"/api/search/?q=water&page={HUGE}",
        "/search/?q=%00",
        "/api/search/?q=%00%00",
    ],
)
def test_known_bad_inputs(fuzz_client, member, url):
    fuzz_client.force_login(member)
    assert fuzz_client.get(url).status_code < 500
