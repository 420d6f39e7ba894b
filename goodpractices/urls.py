# Routes outside the Wagtail page tree (proposals, feed, API) go here.
app_name = "goodpractices"
urlpatterns = []
