from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents (PDF)"

    def ready(self) -> None:
        from decisions.signals import state_changed
        from documents import tasks  # noqa: F401 - registers the tasks that documents.queue sends
        from documents.publications import register_sources
        from documents.services import documents_for_new_state

        # Every change of a request's state asks for the PDFs of the new state, in the same
        # transaction (decisions.signals).
        state_changed.connect(documents_for_new_state, dispatch_uid="documents.new_state")
        # Published PDFs are links of the audit chain; verify_audit compares them with the rows.
        register_sources()
