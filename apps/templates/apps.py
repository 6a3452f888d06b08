from django.apps import AppConfig


class PromptTemplatesConfig(AppConfig):
    name = "apps.templates"
    label = "prompt_templates"
    verbose_name = "Template library"
