from django.urls import path

from apps.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<uuid:pk>/", views.import_detail, name="detail"),
    path("<uuid:pk>/select/", views.import_select, name="select"),
    path("<uuid:pk>/source/", views.import_source, name="source"),
    path("<uuid:pk>/import/", views.import_start, name="start"),
    path("<uuid:pk>/discard/", views.import_discard, name="discard"),
]
