"""Wagtail's API v2 at /api/v2/: the public pages (good practices with their public
fields), read-only."""

from django.db.models import Prefetch
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images import get_image_model

from .models import GoodPracticePage

API_RENDITION = "fill-800x450"  # the rendition of `GoodPracticePage.api_fields`' lead image


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


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesWithPracticesAPIViewSet)
