"""`?lang=xx` on any URL: the page (and the API) in that language for this request only, the
way `hreflang` alternates and the per-page language switcher link to a page. One of the
site's languages exactly, or else the default language: never an error. The language the
reader chose with the switcher (the cookie) stays as it was."""

from django.conf import settings
from django.utils import translation

PARAMETER = "lang"


def requested_language(value: str) -> str:
    code = (value or "").strip().lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class QueryLanguageMiddleware:
    """After Django's LocaleMiddleware, which has chosen the language from the cookie or
    `Accept-Language`; answers vary by URL, so caches keep the languages apart."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PARAMETER in request.GET:
            language = requested_language(request.GET[PARAMETER])
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
