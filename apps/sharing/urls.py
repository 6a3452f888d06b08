from django.urls import path

from apps.sharing import views

app_name = "sharing"

urlpatterns = [
    path("prompts/<uuid:pk>/shares/", views.share_manage, name="manage"),
    path("prompts/<uuid:pk>/visibility/", views.prompt_visibility, name="visibility"),
    path("shares/<uuid:pk>/revoke/", views.share_revoke, name="revoke"),
    path("s/<str:code>/", views.share_page, name="share_page"),
    path("s/<str:code>/download.<str:fmt>", views.share_download, name="share_download"),
    path("s/<str:code>/save/", views.share_save, name="share_save"),
    path("p/<uuid:pk>/", views.public_page, name="public_page"),
    path("p/<uuid:pk>/download.<str:fmt>", views.public_download, name="public_download"),
    path("p/<uuid:pk>/save/", views.public_save, name="public_save"),
    path("explore/", views.explore, name="explore"),
]
