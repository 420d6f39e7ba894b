from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, Task, TaskState
from wagtail.search import index

from core.themes import ThematicField
from core.translated import TranslatedTextMixin, clean_translations, translations_field

from .blocks import PracticeBodyBlock
from .panels import TranslationStatusPanel

NEWEST_ON_HOME = 3


class LocalizedPage(Page):
    """A page readers get in their language at the original's URL.

    The URLs stay those of the original (English) tree, whatever the language: routing
    goes through the originals, and serving a page hands over to its live translation in
    the active language where there is one (a draft translation is never served). A
    translation's own URL is its original's, and the template gets the languages the page
    can be read in (the switcher and the `hreflang` alternates)."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from . import translations

        localized = translations.readable_in(self, translation.get_language() or "en")
        if localized.pk != self.pk:
            return localized.specific.serve(request, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def get_url_parts(self, request=None):
        from . import translations

        original = translations.original_of(self)
        if original.pk != self.pk:
            return original.specific.get_url_parts(request=request)
        return super().get_url_parts(request=request)

    def get_context(self, request, *args, **kwargs):
        from . import translations

        context = super().get_context(request, *args, **kwargs)
        context["page_languages"] = translations.live_languages(self)
        return context


class HomePage(LocalizedPage):
    """The site root: what the network is, its hubs, and the newest good practices."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # A translated home page answers `/` only: everything below is found in the
        # original tree and served in the reader's language from there.
        from . import translations

        original = translations.original_of(self)
        if path_components and original.pk != self.pk:
            return original.specific.route(request, path_components)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from hubs.models import Hub

        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["hubs"] = Hub.objects.all()
        context["newest_practices"] = selectors.practices_newest(limit=NEWEST_ON_HOME)
        context["practices_index"] = selectors.practice_index()
        return context


# Snippets and reference data ------------------------------------------------


class Theme(index.Indexed, models.Model):
    """One of the network's four thematic fields, as the row practices link to. Its slug is
    the field's code in `core.themes.ThematicField`, the one vocabulary that threads,
    profiles and search use too; pages show the field's translated label from there (`name`
    is what the admin lists and searches)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("thematic field"), max_length=60, unique=True, choices=ThematicField.choices
    )
    description = models.TextField(_("description"), blank=True, max_length=600)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("thematic field")
        verbose_name_plural = _("thematic fields")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The thematic field's label in the active language (a row the migration could not
        match to a field keeps its own name)."""
        if self.slug not in ThematicField.values:
            return self.name
        return str(ThematicField(self.slug).label)


class Region(TranslatedTextMixin, models.Model):
    """Where a practice comes from: a hub's region (MENA, SEE, SSA) or another region of
    the world (Germany and Europe, Asia, Latin America). A region linked to a hub sends
    its practices to that hub's coordinators for review. Its name is shown in the reader's
    language (`translations`)."""

    translated_fields = ("name",)

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_regions",
        help_text=_("Practices of this region are reviewed by this hub's coordinators."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    translations = translations_field()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("hub"),
        FieldPanel("sort_order"),
        FieldPanel("translations"),
    ]

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.label

    def clean(self):
        self.translations = clean_translations(self.translations, self.translated_fields)

    @property
    def label(self) -> str:
        """The region's name in the active language."""
        return self.translated("name")


SDG_NAMES = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 goals of the 2030 Agenda; the rows are created by a migration."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self):
        return SDG_NAMES.get(self.number, "")


# Pages ----------------------------------------------------------------------


class GoodPracticeIndexPage(LocalizedPage):
    """`/practices/`: the collection of good practices, filtered by theme, region,
    country and SDG (a GET form and links, no JavaScript)."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["goodpractices.HomePage"]
    subpage_types = ["goodpractices.GoodPracticePage"]
    max_count = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("good practice index")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.practice_listing(index_page=self, params=request.GET))
        return context


class CitySize(models.TextChoices):
    SMALL = "small", _("Small (under 50,000 inhabitants)")
    MEDIUM = "medium", _("Medium (50,000 to 500,000)")
    LARGE = "large", _("Large (500,000 to 1 million)")
    METROPOLIS = "metropolis", _("Metropolis (over 1 million)")


class _CountrySerializer(serializers.Field):
    def to_representation(self, value):
        return {"code": value.code, "name": str(value.name)} if value else None


class _NamedSerializer(serializers.Field):
    def to_representation(self, value):
        return {"slug": value.slug, "name": value.label} if value else None


class _ThemesSerializer(serializers.Field):
    def to_representation(self, value):
        return [{"slug": theme.slug, "name": theme.label} for theme in value.all()]


class _SDGSerializer(serializers.Field):
    def to_representation(self, value):
        return [goal.number for goal in value.all()]


class GoodPracticePage(LocalizedPage):
    """A good practice: what a city faced, what it did, what came of it and what others
    can learn, with where it happened, its thematic fields and SDGs, and whom to ask."""

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences for lists and search.")
    )
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("thematic fields"), related_name="practices", blank=False
    )
    sdgs = ParentalManyToManyField(
        SustainableDevelopmentGoal,
        verbose_name=_("sustainable development goals"),
        related_name="practices",
        blank=True,
    )
    period = models.CharField(
        _("period"),
        max_length=100,
        blank=True,
        help_text=_("For example: 2018–2021, or since 2019."),
    )
    partners = models.TextField(_("partners"), max_length=1000, blank=True)
    city_size = models.CharField(
        _("city size"), max_length=12, choices=CitySize.choices, blank=True
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(PracticeBodyBlock(), verbose_name=_("body"), blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices_as_contact",
        limit_choices_to={"is_active": True, "profile__available_for_advice": True},
        help_text=_("A member from the expert directory who can tell more about this practice."),
    )
    contact_organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    content_panels = Page.content_panels + [
        TranslationStatusPanel(heading=_("Languages")),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldRowPanel([FieldPanel("region"), FieldPanel("city_size")]),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sdgs", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Topics"),
        ),
        FieldRowPanel([FieldPanel("period"), FieldPanel("partners")]),
        FieldPanel("lead_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("contact_person"), FieldPanel("contact_organisation")],
            heading=_("Contact"),
        ),
    ]
    parent_page_types = ["goodpractices.GoodPracticeIndexPage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("city"),
        index.SearchField("partners"),
        index.AutocompleteField("city"),
        index.FilterField("country"),
        index.FilterField("region"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    # Public fields only: the contact person is personal data and stays out of the API.
    api_fields = [
        APIField("summary"),
        APIField("city"),
        APIField("country", serializer=_CountrySerializer()),
        APIField("region", serializer=_NamedSerializer()),
        APIField("themes", serializer=_ThemesSerializer()),
        APIField("sdgs", serializer=_SDGSerializer()),
        APIField("period"),
        APIField("partners"),
        APIField("city_size"),
        APIField("lead_image", serializer=ImageRenditionField("fill-800x450")),  # api.API_RENDITION
        APIField("body"),
        APIField("contact_organisation"),
    ]

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    @property
    def hub(self):
        return self.region.hub if self.region_id and self.region else None

    def get_context(self, request, *args, **kwargs):
        from . import selectors, translations

        context = super().get_context(request, *args, **kwargs)
        context["language_statuses"] = [
            status for status in translations.translation_statuses(self) if status.live
        ]
        context["contact_profile"] = selectors.contact_profile_for(page=self, viewer=request.user)
        return context


class Proposal(models.Model):
    """A good practice a member proposed from the site: links the proposer to the draft
    page created for it, and remembers what the proposer has been told."""

    page = models.OneToOneField(
        GoodPracticePage,
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.CASCADE,
        related_name="practice_proposals",
    )
    title = models.CharField(_("title"), max_length=255)
    created = models.DateTimeField(_("proposed"), auto_now_add=True)
    published_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title


# Workflow -------------------------------------------------------------------


class HubReviewTaskState(TaskState):
    """A regional review in progress: the hub whose coordinators decide it, fixed when the
    task starts from the region of the revision submitted."""

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("regional review task state")
        verbose_name_plural = _("regional review task states")


class HubCoordinatorReviewTask(Task):
    """Reviewed by the coordinators of the hub the practice's region belongs to; practices
    of other regions, and every practice, may also be reviewed by editors (those who may
    publish the practice). A coordinator has no say over another hub's region."""

    task_state_class = HubReviewTaskState

    class Meta:
        verbose_name = _("regional coordinator review")
        verbose_name_plural = _("regional coordinator reviews")

    @classmethod
    def get_description(cls):
        return _(
            "The coordinators of the hub of the practice's region review it; "
            "editors may review any practice."
        )

    def start(self, workflow_state, user=None):
        from . import selectors

        obj = workflow_state.content_object
        revision = obj.get_latest_revision()
        hub = selectors.hub_for_practice(revision.as_object() if revision else obj)
        task_state = HubReviewTaskState(workflow_state=workflow_state, hub=hub)
        task_state.status = TaskState.STATUS_IN_PROGRESS
        task_state.revision = revision
        task_state.task = self
        task_state.save()
        from wagtail.signals import task_submitted

        task_submitted.send(sender=HubReviewTaskState, instance=task_state, user=user)
        return task_state

    def user_can_review(self, obj, user) -> bool:
        from . import selectors

        return selectors.user_can_review_practice(user=user, page=obj, task=self)

    def user_can_access_editor(self, obj, user):
        return self.user_can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.user_can_review(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        allowed = {name for name, _label, _form in self.get_actions(obj, user)}
        if action_name not in allowed:
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from . import selectors

        return selectors.review_task_states_for(user=user, task=self)
