"""The one error type and its one map to HTTP statuses and websocket frames."""

import json

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from core.exceptions import STATUS_FOR_CODE, ActionError, NotFound, frame, http_status
from core.middleware import ActionErrorMiddleware


def test_every_code_has_a_4xx_status():
    assert STATUS_FOR_CODE
    assert all(400 <= status < 500 for status in STATUS_FOR_CODE.values())


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown ActionError code"):
        ActionError("nope", code="teapot")


@pytest.mark.parametrize(("code", "status"), [("forbidden", 403), ("rate_limited", 429)])
def test_http_status_follows_the_map(code, status):
    assert http_status(ActionError("x", code=code)) == status


def test_not_found_is_an_action_error_with_its_own_code():
    error = NotFound("gone")
    assert isinstance(error, ActionError)
    assert error.code == "not_found" and http_status(error) == 404


def test_frame_carries_code_detail_and_extras_and_serialises():
    text = json.dumps(frame(ActionError("Too fast", code="rate_limited"), client_id="c1"))
    assert json.loads(text) == {
        "type": "error",
        "code": "rate_limited",
        "detail": "Too fast",
        "client_id": "c1",
    }


@pytest.mark.django_db
def test_middleware_renders_a_refusal_with_its_status():
    request = RequestFactory().get("/somewhere/")
    request.user = None
    middleware = ActionErrorMiddleware(lambda request: HttpResponse())
    response = middleware.process_exception(request, ActionError("Locked.", code="locked"))
    assert response.status_code == 409
    assert "Locked." in response.content.decode()


def test_middleware_turns_not_found_into_django_404():
    middleware = ActionErrorMiddleware(lambda request: HttpResponse())
    with pytest.raises(Http404):
        middleware.process_exception(RequestFactory().get("/x/"), NotFound("no such thread"))


def test_middleware_leaves_other_exceptions_alone():
    middleware = ActionErrorMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/x/"), KeyError("k")) is None
