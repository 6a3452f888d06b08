"""Every write to prompts, versions, tags and folders. Views, imports, templates, sharing and
the admin all call these; none of them saves a prompt directly."""

from apps.prompts.services.folders import FolderMergeNeeded, folder_rename
from apps.prompts.services.labels import label_remove, label_set
from apps.prompts.services.optimization import (
    OptimizationConflict,
    OptimizationRefused,
    optimization_accept,
    optimization_discard,
    optimization_run,
    optimization_start,
    prompt_optimize,
)
from apps.prompts.services.prompts import (
    PromptConflict,
    prompt_create,
    prompt_delete,
    prompt_duplicate,
    prompt_restore,
    prompt_update,
    prompts_bulk_delete,
    prompts_bulk_move,
    prompts_bulk_tag,
    prompts_recount,
)
from apps.prompts.services.tags import (
    prompt_tag_link,
    prompt_tags_unlink,
    tag_create,
    tag_delete,
    tag_merge,
    tag_update,
    tags_get_or_create,
)

__all__ = [
    "FolderMergeNeeded",
    "OptimizationConflict",
    "OptimizationRefused",
    "PromptConflict",
    "folder_rename",
    "label_remove",
    "label_set",
    "optimization_accept",
    "optimization_discard",
    "optimization_run",
    "optimization_start",
    "prompt_create",
    "prompt_delete",
    "prompt_duplicate",
    "prompt_optimize",
    "prompt_restore",
    "prompt_tag_link",
    "prompt_tags_unlink",
    "prompt_update",
    "prompts_bulk_delete",
    "prompts_bulk_move",
    "prompts_bulk_tag",
    "prompts_recount",
    "tag_create",
    "tag_delete",
    "tag_merge",
    "tag_update",
    "tags_get_or_create",
]
