"""The site's icon: linked from every page, and /favicon.ico (which browsers and feed readers
ask for on their own) answers with it instead of a 404."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_pages_link_the_svg_icon_and_favicon_ico_leads_to_it(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("img/favicon.svg")
    with open(icon, "rb") as handle:
        svg = handle.read()
    assert svg.startswith(b"<svg") and len(svg) < 1024
    assert client.get("/static/img/favicon.svg").status_code == 200
