"""Notices become an outbox: one row per person told, written with the transition, sent by a task.

The notices already sent (one row per transition, its recipients as a list of addresses) become one
sent row per address, matched to the person who has it where there is one; a row that told nobody
is dropped, since it holds no message."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def one_row_per_recipient(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Check the new rows' foreign keys now, not at commit: PostgreSQL refuses to alter a
        # table (below, in this same transaction) with such checks still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Notice = apps.get_model("decisions", "Notice")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for notice in Notice.objects.all().order_by("pk"):
        addresses = [a.strip() for a in notice.recipients.split(",") if a.strip()]
        if not addresses:
            notice.delete()
            continue
        for index, address in enumerate(addresses):
            row = notice if index == 0 else Notice(entry_id=notice.entry_id, kind="transition")
            row.email = address
            row.recipient = User.objects.filter(email=address).order_by("pk").first()
            row.state = "sent"
            row.attempts = 1
            row.created_at = row.next_attempt_at = notice.sent_at
            row.sent_at = notice.sent_at
            row.save()


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_governance_admin_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="notice",
            options={"ordering": ["-created_at", "-id"]},
        ),
        migrations.AlterField(
            model_name="notice",
            name="entry",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notices",
                to="decisions.transitionlog",
            ),
        ),
        migrations.AlterField(
            model_name="notice",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notice",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="notice",
            name="body",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="notice",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="notice",
            name="email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="notice",
            name="error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="notice",
            name="kind",
            field=models.CharField(
                choices=[("transition", "Transition"), ("reminder", "Reminder")],
                default="transition",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notice",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="notice",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="notices",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to be sent"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("failed", "Not sent"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="subject",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(one_row_per_recipient, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="notice",
            name="recipients",
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["state", "next_attempt_at"], name="notice_due"),
        ),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.UniqueConstraint(
                fields=("entry", "recipient", "kind"), name="notice_once_per_person"
            ),
        ),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "sent"), _negated=True),
                    ("sent_at__isnull", False),
                    _connector="OR",
                ),
                name="notice_sent_has_time",
            ),
        ),
    ]
