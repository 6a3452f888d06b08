from django.urls import path

from apps.templates import views

app_name = "templates"

urlpatterns = [
    path("", views.template_list, name="list"),
    path("publish/<uuid:pk>/", views.template_publish, name="publish"),
    path("<slug:slug>/", views.template_detail, name="detail"),
    path("<slug:slug>/preview/", views.template_preview, name="preview"),
    path("<slug:slug>/use/", views.template_use, name="use"),
    path("<slug:slug>/rate/", views.template_rate, name="rate"),
    path("<slug:slug>/unpublish/", views.template_unpublish, name="unpublish"),
]
