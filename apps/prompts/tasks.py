"""Background work for prompts, run by the task worker (`manage.py db_worker`)."""

from django.tasks import task

from apps.prompts import services
from apps.prompts.models import PromptOptimization


@task()
def run_optimization(optimization_id: str) -> None:
    optimization = (
        PromptOptimization.objects.select_related("prompt")
        .defer("prompt__search_vector")
        .filter(pk=optimization_id, status=PromptOptimization.Status.RUNNING)
        .first()
    )
    if optimization is None:
        return
    services.optimization_run(optimization=optimization)
