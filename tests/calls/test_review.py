"""Reviewing a call's proposals: scores per requirement, blindness to the others' scores until
one's own is in, averages, conflicts of interest, no changes after the decision, the export
read back, and the reviewer command."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from calls import selectors, services
from calls.models import Review
from core.exceptions import ActionError

from .conftest import applicant_factory, close, submit_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(call, reviewers):
    """Two submitted proposals, the call then closed."""
    first = submit_proposal(call, applicant_factory(), organisation="Stadt Trier")
    second = submit_proposal(
        call, applicant_factory(), organisation="Stadtwerke Lindenau", topic_title="Smart meters"
    )
    close(call)
    return first, second


def score_all(proposal, reviewer, values, comment=""):
    requirements = selectors.requirements_of(proposal.call)
    return services.review_submit(
        proposal=proposal,
        reviewer=reviewer,
        scores={
            req.pk: (value, f"on {req.pk}") for req, value in zip(requirements, values, strict=True)
        },
        comment=comment,
    )


def review_page(client, proposal):
    return client.get(f"/calls/{proposal.call.slug}/review/{proposal.pk}/")


def test_reviewers_score_every_requirement_and_see_the_averages(client, call, reviewers, proposals):
    first, _second = proposals
    rita, rolf = reviewers
    score_all(first, rita, [5, 4, 3])
    score_all(first, rolf, [3, 4, 1])
    rows = {row.proposal.pk: row for row in selectors.review_rows(call=call, user=rita)}
    assert rows[first.pk].average == 3.33
    requirements = selectors.requirements_of(call)
    assert rows[first.pk].by_requirement == {
        requirements[0].pk: 4,
        requirements[1].pk: 4,
        requirements[2].pk: 2,
    }
    assert selectors.requirement_averages(list(rows.values()), requirements) == {
        requirements[0].pk: 4,
        requirements[1].pk: 4,
        requirements[2].pk: 2,
    }
    client.force_login(rita)
    page = client.get(f"/calls/{call.slug}/review/").content.decode()
    assert "3.33" in page


def test_a_reviewer_never_sees_the_others_scores_before_submitting_their_own(
    client, reviewers, proposals
):
    first, _second = proposals
    rita, rolf = reviewers
    score_all(first, rita, [5, 5, 5], comment="Rita's verdict")
    client.force_login(rolf)
    page = review_page(client, first).content.decode()
    assert "Rita&#x27;s verdict" not in page and "Rita's verdict" not in page
    assert "Hidden until you have submitted your own review." in page
    listing = client.get(f"/calls/{first.call.slug}/review/").content.decode()
    assert "hidden" in listing
    # Nor in the export.
    exported = client.get(f"/calls/{first.call.slug}/review/export.csv").content.decode()
    assert "Rita Reviewer" not in exported and "Rita's verdict" not in exported
    # Once Rolf's review is in, he sees Rita's.
    response = client.post(
        f"/calls/{first.call.slug}/review/{first.pk}/",
        {
            "action": "review",
            **{f"score_{req.pk}": "2" for req in selectors.requirements_of(first.call)},
        },
    )
    assert response.status_code == 302
    page = review_page(client, first).content.decode()
    assert "Rita&#x27;s verdict" in page
    assert (
        "Rita Reviewer"
        in client.get(f"/calls/{first.call.slug}/review/export.csv").content.decode()
    )


def test_a_review_needs_every_score_from_one_to_five(client, reviewers, proposals):
    first, _ = proposals
    client.force_login(reviewers[0])
    requirements = selectors.requirements_of(first.call)
    body = {
        "action": "review",
        f"score_{requirements[0].pk}": "4",
        f"score_{requirements[1].pk}": "6",
    }
    response = client.post(f"/calls/{first.call.slug}/review/{first.pk}/", body)
    assert response.status_code == 400
    assert "Score this requirement" in response.content.decode()
    assert not Review.objects.exists()
    with pytest.raises(ActionError):
        services.review_submit(
            proposal=first, reviewer=reviewers[0], scores={requirements[0].pk: (4, "")}
        )


def test_a_conflict_of_interest_excludes_scoring(client, reviewers, proposals):
    first, _ = proposals
    rita, rolf = reviewers
    score_all(first, rolf, [4, 4, 4])
    client.force_login(rita)
    response = client.post(
        f"/calls/{first.call.slug}/review/{first.pk}/",
        {"action": "review", "conflict_of_interest": "on"},
    )
    assert response.status_code == 302
    review = Review.objects.get(reviewer=rita)
    assert review.conflict_of_interest and not review.scores.exists()
    # A conflicted reviewer does not see the others' scores, and is not in the average.
    assert not selectors.scores_visible_to(user=rita, proposal=first)
    [row] = [
        r for r in selectors.review_rows(call=first.call, user=rolf) if r.proposal.pk == first.pk
    ]
    assert row.average == 4 and len(row.reviews) == 1
    # Scores sent along with a conflict are dropped.
    services.review_submit(
        proposal=first,
        reviewer=rita,
        scores={req.pk: (1, "") for req in selectors.requirements_of(first.call)},
        conflict_of_interest=True,
    )
    assert not review.scores.exists()


def test_reviews_wait_for_the_deadline(call, reviewers):
    proposal = submit_proposal(call, applicant_factory())
    with pytest.raises(ActionError) as refused:
        score_all(proposal, reviewers[0], [3, 3, 3])
    assert refused.value.code == "locked"


def test_drafts_are_not_reviewed_and_other_calls_proposals_are_not_found(
    client, call, reviewers, proposals
):
    from .conftest import make_call

    draft = services.proposal_save(
        call=make_call(slug="other"),
        applicant=applicant_factory(),
        data={"organisation": "X"},
        partners=[],
    )
    client.force_login(reviewers[0])
    assert client.get(f"/calls/{call.slug}/review/{draft.pk}/").status_code == 404
    assert client.get(f"/calls/{call.slug}/review/999999/").status_code == 404


def test_changing_scores_after_the_decision_is_refused(client, editor, reviewers, proposals):
    first, _ = proposals
    rita = reviewers[0]
    score_all(first, rita, [4, 4, 4])
    services.proposal_decide(proposal=first, decision="reserve", acting_user=editor)
    with pytest.raises(ActionError) as refused:
        score_all(first, rita, [1, 1, 1])
    assert refused.value.code == "locked"
    client.force_login(rita)
    body = {
        "action": "review",
        **{f"score_{req.pk}": "1" for req in selectors.requirements_of(first.call)},
    }
    assert client.post(f"/calls/{first.call.slug}/review/{first.pk}/", body).status_code == 409
    assert set(Review.objects.get(reviewer=rita).scores.values_list("value", flat=True)) == {4}


def test_the_export_reads_back_as_csv_and_xlsx(client, editor, reviewers, proposals):
    first, second = proposals
    rita, rolf = reviewers
    score_all(first, rita, [5, 4, 3], comment="=HYPERLINK(evil)")
    score_all(first, rolf, [3, 4, 1])
    client.force_login(editor)
    response = client.get(f"/calls/{first.call.slug}/review/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Proposal", "Applicant"] and "Average score" in header
    by_reviewer = {(row[0], row[header.index("Reviewer")]): row for row in body}
    rita_row = by_reviewer[(str(first.pk), "Rita Reviewer")]
    assert (
        rita_row[header.index("Score R1")] == "5"
        and rita_row[header.index("Average score")] == "3.33"
    )
    assert rita_row[header.index("Review comment")] == "'=HYPERLINK(evil)"  # no formula
    assert by_reviewer[(str(second.pk), "")][header.index("Applicant")] == "Stadtwerke Lindenau"
    assert len(body) == 3  # two reviews of the first, none of the second

    response = client.get(f"/calls/{first.call.slug}/review/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert list(values[0]) == header
    xlsx_rows = {(row[0], row[header.index("Reviewer")]): row for row in values[1:]}
    assert xlsx_rows[(first.pk, "Rolf Reviewer")][header.index("Score R3")] == 1
    assert xlsx_rows[(first.pk, "Rolf Reviewer")][header.index("Average R3")] == 2


def test_review_list_filters(client, editor, reviewers, proposals):
    first, second = proposals
    score_all(first, reviewers[0], [3, 3, 3])
    services.proposal_decide(proposal=second, decision="reserve", acting_user=editor)
    rows = selectors.review_rows(call=first.call, user=reviewers[0], params={"state": "todo"})
    assert [row.proposal.pk for row in rows] == [second.pk]
    rows = selectors.review_rows(call=first.call, user=editor, params={"decision": "reserve"})
    assert [row.proposal.pk for row in rows] == [second.pk]
    rows = selectors.review_rows(call=first.call, user=editor, params={"decision": "none"})
    assert [row.proposal.pk for row in rows] == [first.pk]
    client.force_login(reviewers[0])
    page = client.get(f"/calls/{first.call.slug}/review/?state=done").content.decode()
    assert "Inter-municipal land management" in page and "Smart meters" not in page


def test_review_list_queries_do_not_grow_with_proposals(
    client, call, reviewers, django_assert_max_num_queries
):
    for n in range(6):
        submit_proposal(call, applicant_factory(), organisation=f"Stadt {n}")
    close(call)
    for proposal in call.proposals.all():
        score_all(proposal, reviewers[1], [3, 4, 5])
    client.force_login(reviewers[1])
    with django_assert_max_num_queries(21):
        assert client.get(f"/calls/{call.slug}/review/").status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get(f"/calls/{call.slug}/review/export.csv").status_code == 200


def test_assign_call_reviewer_command(call):
    person = applicant_factory()
    out = io.StringIO()
    call_command("assign_call_reviewer", person.email.upper(), call.slug, stdout=out)
    assert "now reviews" in out.getvalue()
    assert selectors.user_is_reviewer(user=person, call=call)
    call_command("assign_call_reviewer", person.email, call.slug, stdout=out)
    assert "already reviews" in out.getvalue()
    call_command("assign_call_reviewer", person.email, call.slug, "--remove", stdout=out)
    assert not selectors.user_is_reviewer(user=person, call=call)
    with pytest.raises(CommandError):
        call_command("assign_call_reviewer", "nobody@example.org", call.slug)
    with pytest.raises(CommandError):
        call_command("assign_call_reviewer", person.email, "no-such-call")
