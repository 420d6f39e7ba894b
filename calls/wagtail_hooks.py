"""Topic calls in the Wagtail admin: editors (the Editors group) create and edit calls, their
requirements and contacts, and assign the reviewers."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import TopicCall


class TopicCallViewSet(SnippetViewSet):
    model = TopicCall
    icon = "form"
    menu_label = _("Topic calls")
    menu_name = "topic-calls"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["title", "year", "deadline_date", "decision_by"]
    list_filter = ["year"]
    search_fields = ["title", "original_title"]


register_snippet(TopicCallViewSet)
