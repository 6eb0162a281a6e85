from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions.chain import register_sources

        register_sources()
