"""The Content-Security-Policy middleware, with the relaxations the Wagtail admin needs
applied under /admin/ only. The public site keeps the strict policy of
`CONTENT_SECURITY_POLICY` (no inline script, no inline style)."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX):
            parts.replace = {**settings.CSP_ADMIN_REPLACE, **(parts.replace or {})}
        return parts
