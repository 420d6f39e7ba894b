"""The review export of a call, as CSV and XLSX: one row per proposal and review, with the
proposal's averages. What a reviewer may not see yet (the others' scores of a proposal they
have not reviewed) is left out of their export, as on their review list."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import selectors


def _safe(value):
    """Spreadsheet formulas are not data: a cell starting with =, +, - or @ gets a quote."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def table(*, call, user) -> list[list]:
    requirements = selectors.requirements_of(call)
    header = [
        _("Proposal"),
        _("Applicant"),
        _("Kind"),
        _("Country"),
        _("Contact person"),
        _("Email"),
        _("Topic"),
        _("Thematic fields"),
        _("Partner municipalities"),
        _("Backed by decision makers"),
        _("Follow-ups"),
        _("Submitted"),
        _("Decision"),
        _("Average score"),
        *[_("Average R%(number)d") % {"number": n} for n in range(1, len(requirements) + 1)],
        _("Reviewer"),
        _("Conflict of interest"),
        *[_("Score R%(number)d") % {"number": n} for n in range(1, len(requirements) + 1)],
        _("Review comment"),
    ]
    rows = [header]
    for row in selectors.review_rows(call=call, user=user):
        proposal = row.proposal
        common = [
            proposal.pk,
            proposal.organisation,
            proposal.get_organisation_kind_display(),
            str(proposal.country),
            proposal.contact_name,
            proposal.contact_email,
            proposal.topic_title,
            ", ".join(str(label) for label in proposal.thematic_field_labels()),
            "; ".join(f"{p.name} ({p.country})" for p in proposal.partners.all()),
            _("yes") if proposal.backing_confirmed else _("no"),
            _("yes") if proposal.follow_up_willing else _("no"),
            proposal.submitted_at.isoformat() if proposal.submitted_at else "",
            proposal.get_decision_display() if proposal.decision else "",
            row.average if row.visible else "",
            *[row.by_requirement.get(req.pk, "") if row.visible else "" for req in requirements],
        ]
        reviews = list(proposal.done_reviews) if row.visible else []
        if not row.visible and row.own_review and row.own_review.submitted_at:
            reviews = [row.own_review]  # a conflict of interest: only their own declaration
        if not reviews:
            rows.append(common + [""] * (3 + len(requirements)))
        for review in reviews:
            values = {score.requirement_id: score.value for score in review.scores.all()}
            rows.append(
                common
                + [
                    review.reviewer.name or review.reviewer.email,
                    _("yes") if review.conflict_of_interest else _("no"),
                    *[values.get(req.pk, "") for req in requirements],
                    review.comment,
                ]
            )
    return [[_safe(cell) for cell in line] for line in rows]


def as_csv(*, call, user) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(table(call=call, user=user))
    return buffer.getvalue()


def as_xlsx(*, call, user) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Proposals and scores")[:31]
    for line in table(call=call, user=user):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
