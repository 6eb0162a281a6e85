"""The rendered documents and parts move to the documents app (its 0001 adopts the tables): here
finance lets go of the models in Django's state only; the tables and their rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_document_queue_fields"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="RenderedDocument"),
                migrations.DeleteModel(name="RenderedPart"),
            ],
            database_operations=[],
        ),
    ]
