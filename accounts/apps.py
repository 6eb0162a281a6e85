from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, roles and sign-in"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Role changes are links of the audit chain, like the request's log and signatures.
        from accounts.chain import register_sources

        register_sources()
