# Routes outside the Wagtail page tree (proposals, feed); they come before Wagtail's
# catch-all in network/urls.py. The API is at /api/v2/ (goodpractices/api.py).
from django.urls import path

from . import views
from .feeds import LatestPracticesFeed

app_name = "goodpractices"
urlpatterns = [
    path("practices/propose/", views.propose, name="propose"),
    path("practices/proposals/", views.proposals, name="proposals"),
    path("practices/feed/", LatestPracticesFeed(), name="feed"),
]
