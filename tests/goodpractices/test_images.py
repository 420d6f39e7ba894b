"""Photos of good practices are sent as WebP renditions in a <picture> with widths for
phones (srcset and sizes), a JPEG only for browsers without WebP; the lead image is not sent
a second time when the body repeats it (issue 17: a practice page with one photo weighed
478 KB, the same PNG twice)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def photo(title, size=(960, 640)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (0, 90, 120)).save(buffer, "PNG")
    file = SimpleUploadedFile(f"{title}.png", buffer.getvalue(), content_type="image/png")
    return get_image_model().objects.create(title=title, file=file)


def with_photos(lead, *body_images):
    body = [{"type": "challenge", "value": {"text": "<p>The challenge.</p>"}}]
    body += [
        {"type": "image", "value": {"image": image.pk, "caption": "", "alt_text": image.title}}
        for image in body_images
    ]
    page = GoodPracticeFactory(body=body)
    page.lead_image = lead
    page.save_revision().publish()
    return page


def test_the_practice_page_sends_webp_in_widths_for_phones(client):
    lead, other = photo("market"), photo("street")
    page = with_photos(lead, lead, other)
    html = client.get(page.url).content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", html, flags=re.DOTALL)
    assert len(pictures) == 2, pictures  # the lead and the other photo, not the lead again
    lead_html, body_html = pictures
    webp = re.search(r'<source[^>]*type="image/webp"[^>]*>', lead_html).group(0)
    widths = [int(w) for w in re.findall(r"\.webp (\d+)w", webp)]
    assert widths == [375, 750, 960], webp
    assert 'sizes="(max-width: 60rem) 100vw, 960px"' in webp
    fallback = re.search(r"<img[^>]*>", lead_html).group(0)
    assert ".jpg" in fallback or ".jpeg" in fallback, fallback
    assert 'class="lead-image"' in fallback
    assert 'alt="street"' in body_html and 'loading="lazy"' in body_html
    assert "image/webp" in body_html
    # Every rendition of the lead is one of the three widths: none of the original PNG.
    assert ".png" not in lead_html


def test_the_index_cards_send_webp_with_widths(client):
    with_photos(photo("square"))
    html = client.get("/practices/").content.decode()
    card = re.search(r"<picture>.*?</picture>", html, flags=re.DOTALL).group(0)
    webp = re.search(r'<source[^>]*type="image/webp"[^>]*>', card).group(0)
    assert re.findall(r"\.webp (\d+)w", webp) == ["320", "480", "640"]
    assert 'loading="lazy"' in card and "sizes=" in webp
