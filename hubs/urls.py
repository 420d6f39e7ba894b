from django.urls import include, path

from . import views

app_name = "hubs"
urlpatterns = [
    path("", views.hub_list, name="list"),
    path("<slug:slug>/", views.hub_detail, name="detail"),
    path("<slug:slug>/", include("hubs.urls_threads")),
]
