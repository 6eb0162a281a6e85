from django.apps import AppConfig


class RegisterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "register"
    verbose_name = "Public register"

    def ready(self) -> None:
        from decisions.signals import state_changed
        from register import tasks  # noqa: F401 - the beat task is sent by name
        from register.indexing import entry_for_new_state

        state_changed.connect(entry_for_new_state, dispatch_uid="register.entry")
