"""A member proposes a practice from the site: a draft in the regional review, the
proposer's status, the mail when it is published or sent back; and every bad input."""

import io
import os
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core import personal_data
from goodpractices import personal_data as practice_data
from goodpractices import services
from goodpractices.models import GoodPracticePage, Proposal, Region, Theme
from tests.factories import ProfileFactory, UserFactory
from tests.security import XSS_PAYLOADS, assert_inert

URL = "/practices/propose/"


def png(size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (0, 90, 120)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def form_data(db):
    return {
        "title": "Green corridors for a cooler centre",
        "summary": "We link parks and river banks into corridors that cool the centre.",
        "city": "Skopje",
        "country": "MK",
        "region": Region.objects.get(slug="see").pk,
        "themes": [Theme.objects.get(slug="integrated_urban_development").pk],
        "sdgs": [11, 13],
        "challenge": "Heat waves.\n\nUnsafe streets for cyclists.",
        "approach": "Two green corridors, planned with peers.",
        "results": "",
        "lessons": "Start small.",
        "period": "since 2021",
        "partners": "",
        "organisation": "City planning department",
        "list_me_as_contact": "on",
        "image_alt": "",
    }


def nothing_created():
    return (
        not GoodPracticePage.objects.exclude(live=True).exists()
        and not Proposal.objects.exists()
        and not get_image_model().objects.exists()
        and not get_document_model().objects.exists()
    )


def titles_on(html):
    return re.findall(r'<h3[^>]*><a href="/practices/[^"]+">(.*?)</a></h3>', html)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_form_has_a_label_for_every_field(client, member):
    client.force_login(member)
    html = client.get(URL).content.decode()
    for name in (
        "title",
        "summary",
        "city",
        "country",
        "region",
        "challenge",
        "approach",
        "image",
        "document",
    ):
        assert f'<label for="id_{name}">' in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.django_db
def test_proposal_to_draft_to_published(
    client, member, coordinators, form_data, django_capture_on_commit_callbacks
):
    ProfileFactory(user=member, available_for_advice=True)  # in the expert directory
    mail.outbox.clear()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):  # the review mail, after commit
        response = client.post(URL, {**form_data, "image": png()})
    assert response.status_code == 302
    assert response["Location"] == "/practices/proposals/"

    proposal = Proposal.objects.get()
    page = proposal.page
    assert proposal.proposer == member
    assert not page.live
    assert page.owner == member and page.contact_person == member
    assert page.lead_image is not None
    assert [block.block_type for block in page.body] == ["challenge", "approach", "lessons"]
    assert page.workflow_in_progress
    # In the SEE review: the SEE coordinator is told, nobody else.
    assert [m.to for m in mail.outbox] == [[coordinators["see"].email]]
    assert "In review" in client.get("/practices/proposals/").content.decode()
    assert "Green corridors" not in client.get("/practices/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_review(page=page, user=coordinators["see"], action="approve")
    page.refresh_from_db()
    assert page.live
    published = [m for m in mail.outbox if m.to == [member.email]]
    assert len(published) == 1
    assert "is published" in published[0].subject
    assert page.url in published[0].body

    html = client.get("/practices/proposals/").content.decode()
    assert "Published" in html and f'href="{page.url}"' in html
    html = client.get("/practices/?region=see&theme=integrated_urban_development").content.decode()
    assert titles_on(html) == ["Green corridors for a cooler centre"]
    # Published again later (an edit): no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len([m for m in mail.outbox if m.to == [member.email]]) == 1


@pytest.mark.django_db
def test_sent_back_with_a_comment(
    client, member, coordinators, form_data, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post(URL, form_data)
    page = Proposal.objects.get().page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_review(
            page=page,
            user=coordinators["see"],
            action="reject",
            comment="Please add your results.",
        )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Please add your results." in mail.outbox[0].body
    html = client.get("/practices/proposals/").content.decode()
    assert "Sent back for changes" in html and "Please add your results." in html
    page.refresh_from_db()
    assert not page.live


@pytest.mark.django_db
def test_the_profile_include_shows_the_status(rf, member, form_data, client):
    from django.template.loader import render_to_string

    client.force_login(member)
    client.post(URL, form_data)
    request = rf.get("/members/me/")
    request.user = member
    html = render_to_string("goodpractices/includes/profile_proposals.html", request=request)
    assert "Green corridors for a cooler centre" in html and "In review" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing", ["title", "summary", "city", "country", "region", "themes", "challenge", "approach"]
)
def test_missing_required_fields(client, member, form_data, missing):
    client.force_login(member)
    data = {key: value for key, value in form_data.items() if key != missing}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert nothing_created()


@pytest.mark.django_db
def test_unsupported_and_oversize_uploads(client, member, form_data, settings):
    client.force_login(member)
    cases = [
        {"image": SimpleUploadedFile("photo.png", b"not an image at all", "image/png")},
        {"image": SimpleUploadedFile("anim.gif", png().read(), "image/gif")},
        {"document": SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream")},
        {"document": SimpleUploadedFile("page.html", b"<script>x</script>", "text/html")},
        {
            "document": SimpleUploadedFile(
                "big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "application/pdf"
            )
        },
    ]
    for files in cases:
        response = client.post(URL, {**form_data, **files})
        assert response.status_code == 400, files
        assert 'class="errorlist"' in response.content.decode()
        assert nothing_created(), files
    # Noise does not compress: a PNG over the 5 MB limit.
    noise = PILImage.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    big = SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")
    response = client.post(URL, {**form_data, "image": big})
    assert response.status_code == 400
    assert "too big" in response.content.decode(), re.findall(
        r"errorlist.*", response.content.decode()
    )
    assert nothing_created()


@pytest.mark.django_db
def test_a_document_is_attached_to_the_draft(client, member, form_data):
    client.force_login(member)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 a small plan", "application/pdf")
    assert client.post(URL, {**form_data, "document": pdf}).status_code == 302
    page = Proposal.objects.get().page
    assert [block.block_type for block in page.body][-1] == "document"


@pytest.mark.django_db
def test_html_in_text_fields_is_shown_as_text(client, member, coordinators, form_data):
    client.force_login(member)
    payload = "\n\n".join(XSS_PAYLOADS)
    data = {
        **form_data,
        "title": "<script>alert(1)</script> Corridors",
        "summary": "<b>bold</b>",
        "city": "<img src=x onerror=alert(1)>",
        "challenge": payload,
        "approach": payload,
        "lessons": payload,
        "partners": XSS_PAYLOADS[0] + XSS_PAYLOADS[9],
    }
    assert client.post(URL, data).status_code == 302
    page = Proposal.objects.get().page
    services.practice_review(page=page, user=coordinators["see"], action="approve")
    page.refresh_from_db()
    html = client.get(page.url).content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    assert_inert(article)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corridors" in article
    assert "&lt;b&gt;bold&lt;/b&gt;" in article
    listing = client.get("/practices/").content.decode()
    assert_inert(listing[listing.index('<ul class="card-list') : listing.index("</main>")])
    assert "&lt;script&gt;" in client.get("/practices/proposals/").content.decode()


@pytest.mark.django_db
def test_a_member_without_current_consent_cannot_propose(client, form_data):
    from members.selectors import consent_is_current

    person = UserFactory(consented=False)
    assert not consent_is_current(person)
    client.force_login(person)
    response = client.post(URL, form_data)
    assert response.status_code in (302, 403)  # to /accounts/consent/, or refused here
    assert nothing_created()
    with pytest.raises(services.ActionError):
        services.proposal_submit(
            proposer=person,
            **{key: form_data[key] for key in ("title", "summary", "city", "country")},
            region=Region.objects.get(slug="see"),
            themes=Theme.objects.all()[:1],
            challenge="x",
            approach="y",
        )
    assert nothing_created()


@pytest.mark.django_db
def test_proposals_are_in_the_data_export_and_go_with_the_account(client, member, form_data):
    ProfileFactory(user=member, available_for_advice=True)
    client.force_login(member)
    client.post(URL, form_data)
    sources = {source.key: source for source in personal_data.sources()}
    assert "goodpractices.Proposal" in personal_data.covered_models()
    exported = sources["practice_proposals"].export(member)
    assert exported[0]["title"] == "Green corridors for a cooler centre"
    assert exported[0]["status"] == "review"
    assert sources["practice_contacts"].export(member)[0]["title"].startswith("Green corridors")
    page = Proposal.objects.get().page
    practice_data.erase_proposals(member)
    practice_data.erase_contacts(member)
    assert not Proposal.objects.exists()
    page.refresh_from_db()
    assert page.contact_person is None


@pytest.mark.django_db
def test_only_experts_are_named_as_contact(client, member, form_data):
    client.force_login(member)  # no profile in the expert directory
    client.post(URL, form_data)
    assert Proposal.objects.get().page.contact_person is None
