"""Turns an `ActionError` that a view let through into its 4xx page, by the one map in
`core.exceptions`: a selector's `NotFound` becomes Django's 404 page, any other refusal the
"Not done" page with its status. Views that re-show a form catch the error themselves."""

from django.http import Http404
from django.shortcuts import render

from .exceptions import ActionError, NotFound, http_status


class ActionErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, ActionError):
            return render(
                request,
                "core/action_error.html",
                {"message": exception.message},
                status=http_status(exception),
            )
        return None
