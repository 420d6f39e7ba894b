"""Learning processes in the Wagtail admin: editors (the Editors group) complete the drafts that
accepted topic-call proposals become, and plan and publish processes of their own. The
consultation threads a process produced are linked in the Django admin only: their titles
belong to their hubs, and editors have no power in any hub."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import LearningProcess


class LearningProcessViewSet(SnippetViewSet):
    model = LearningProcess
    icon = "group"
    menu_label = _("Learning processes")
    menu_name = "learning-processes"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["title", "host_name", "host_country", "year", "status"]
    list_filter = ["status", "year"]
    search_fields = ["title", "topic", "host_name"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("status"),
        FieldPanel("topic"),
        FieldPanel("themes"),
        FieldRowPanel([FieldPanel("host_name"), FieldPanel("host_country"), FieldPanel("year")]),
        FieldPanel("description"),
        FieldPanel("goals"),
        MultiFieldPanel(
            [FieldPanel("partners"), FieldPanel("hubs"), FieldPanel("practices")],
            heading=_("Partners, hubs and good practices"),
        ),
    ]


register_snippet(LearningProcessViewSet)
