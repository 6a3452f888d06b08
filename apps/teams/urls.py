from django.urls import path

from apps.teams import views

app_name = "teams"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/invites/<uuid:pk>/resend/", views.invite_resend, name="resend"),
    path("team/invites/<uuid:pk>/revoke/", views.invite_revoke, name="revoke"),
    path("team/members/<uuid:pk>/role/", views.member_role, name="role"),
    path("shared/", views.shared, name="shared"),
    path("shared/<uuid:pk>/leave/", views.leave, name="leave"),
    path("invites/<str:token>/", views.accept, name="accept"),
]
