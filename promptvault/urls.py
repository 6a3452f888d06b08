from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from apps.accounts.forms import AdminLoginForm
from apps.prompts.api import api
from apps.prompts.views import dashboard
from promptvault import views

admin.site.site_header = "PromptVault administration"
admin.site.site_title = "PromptVault admin"
admin.site.index_title = "Everything in the vault"
# The app's throttled log-in form, so the admin's log-in counts failures with the same limits.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.accounts.billing_urls")),
    path("prompts/", include("apps.prompts.urls")),
    path("", include("apps.sharing.urls")),
    path("", include("apps.teams.urls")),
    path("imports/", include("apps.imports.urls")),
    path("templates/", include("apps.templates.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "promptvault.views.bad_request"
handler403 = "promptvault.views.permission_denied"
handler404 = "promptvault.views.page_not_found"
handler500 = "promptvault.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
