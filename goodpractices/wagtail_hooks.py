from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Region, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thematic fields")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "slug", "hub", "sort_order"]


class PracticeSnippetsGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, RegionViewSet)
    menu_icon = "doc-full"
    menu_label = _("Practice settings")
    menu_name = "practice-settings"


register_snippet(PracticeSnippetsGroup)
