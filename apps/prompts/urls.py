from django.urls import path

from apps.prompts.views import (
    analysis,
    editor,
    export,
    history,
    optimization,
    organise,
    vault,
)

app_name = "prompts"

urlpatterns = [
    path("", vault.prompt_list, name="list"),
    path("bulk/", vault.prompt_bulk, name="bulk"),
    path("new/", editor.prompt_create, name="create"),
    path("analyze/", analysis.prompt_analyze, name="analyze"),
    path("export/", export.prompt_export, name="export"),
    path("folders/", organise.folder_list, name="folders"),
    path("folders/rename/", organise.folder_rename, name="folder_rename"),
    path("tags/", organise.tag_list, name="tags"),
    path("tags/merge/", organise.tag_merge, name="tag_merge"),
    path("tags/<uuid:pk>/", organise.tag_update, name="tag_update"),
    path("tags/<uuid:pk>/delete/", organise.tag_delete, name="tag_delete"),
    path("<uuid:pk>/", editor.prompt_detail, name="detail"),
    path("<uuid:pk>/edit/", editor.prompt_edit, name="edit"),
    path("<uuid:pk>/delete/", editor.prompt_delete, name="delete"),
    path("<uuid:pk>/duplicate/", editor.prompt_duplicate, name="duplicate"),
    path("<uuid:pk>/history/", history.prompt_history, name="history"),
    path("<uuid:pk>/labels/", history.label_move, name="label_move"),
    path("<uuid:pk>/versions/<int:number>/", history.version_detail, name="version"),
    path("<uuid:pk>/versions/<int:number>/restore/", history.version_restore, name="restore"),
    path("<uuid:pk>/diff/", history.prompt_diff, name="diff"),
    path("<uuid:pk>/optimize/", optimization.optimization_start, name="optimize"),
    path(
        "<uuid:pk>/optimizations/<uuid:optimization_pk>/",
        optimization.optimization_detail,
        name="optimization",
    ),
    path(
        "<uuid:pk>/optimizations/<uuid:optimization_pk>/accept/",
        optimization.optimization_accept,
        name="optimization_accept",
    ),
    path(
        "<uuid:pk>/optimizations/<uuid:optimization_pk>/discard/",
        optimization.optimization_discard,
        name="optimization_discard",
    ),
]
