from django.apps import AppConfig


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "finance"
    verbose_name = "Finance annexes"

    def ready(self) -> None:
        # The annexes become part of every request: its signed content, what its submission
        # needs, the lines its recommendations approve (decisions.models.Extension).
        from decisions.models import register_extension
        from finance.extension import Annexes

        register_extension(Annexes())
