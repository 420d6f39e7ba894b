from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors

FEED_SIZE = 20


class LatestPracticesFeed(Feed):
    """An Atom feed of the newest published good practices."""

    feed_type = Atom1Feed
    title = _("Connective Cities: new good practices")
    subtitle = _("Good practices from cities worldwide, newest first.")
    link_path = "/practices/"

    def get_object(self, request, *args, **kwargs):
        # The feed object is shared between requests: keep the request in the object
        # handed to the other methods, never on self.
        return request

    def link(self, request):
        return request.build_absolute_uri(self.__class__.link_path)

    def feed_url(self, request):
        return request.build_absolute_uri()

    def items(self, request):
        practices = selectors.practices_newest(limit=FEED_SIZE)
        for practice in practices:
            practice.feed_url = request.build_absolute_uri(practice.get_url(request))
        return practices

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [theme.label for theme in item.themes.all()]
