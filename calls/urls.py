"""Routes of the topic calls (DESIGN.md, "URLs of the second round")."""

from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/my-proposal/", views.my_proposal, name="my_proposal"),
    path("<slug:slug>/proposals/<id:proposal_id>/letter/", views.letter, name="letter"),
    path("<slug:slug>/review/", views.review_list, name="review"),
    path("<slug:slug>/review/export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/review/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/review/<id:proposal_id>/", views.review_detail, name="review_detail"),
]
