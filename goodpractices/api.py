"""Wagtail's API v2 at /api/v2/: the public pages (good practices with their public
fields), read-only."""

from django.db.models import Prefetch
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images import get_image_model

from .models import GoodPracticePage

API_RENDITION = "fill-800x450"  # the rendition of `GoodPracticePage.api_fields`' lead image
MAX_OFFSET = 1_000_000  # far past the last page; larger numbers overflow the database's LIMIT


class PagesWithPracticesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint; a listing of practices fetches their relations in bulk."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is GoodPracticePage:
            images = get_image_model().objects.prefetch_renditions(API_RENDITION)
            queryset = queryset.select_related("region", "locale").prefetch_related(
                "themes", "sdgs", Prefetch("lead_image", queryset=images)
            )
        return queryset

    def paginate_queryset(self, queryset):
        offset = self.request.GET.get("offset", "")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset must be at most {MAX_OFFSET}")
        return super().paginate_queryset(queryset)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesWithPracticesAPIViewSet)
