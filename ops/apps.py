from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the system: health check, heartbeats of the workers and beat, backup and restore."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ops import heartbeats

        heartbeats.connect()
