# Recommendations used to cite paragraphs after the officer's punctuation ("budget; (paragraph
# 2.1)"); new requests read "budget (see paragraph 2.1);". The rendered text is in the content the
# signatures hash, so every request already submitted (it has a frozen version, and may be signed)
# keeps the first wording; only requests never submitted take the new one.

from django.db import migrations, models


def keep_submitted_wording(apps, schema_editor):
    Decision = apps.get_model("decisions", "Decision")
    DecisionVersion = apps.get_model("decisions", "DecisionVersion")
    submitted = DecisionVersion.objects.values("decision_id")
    Decision.objects.filter(pk__in=submitted).update(link_wording=1)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0010_merge"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="link_wording",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "After the text: “Approve the budget. (paragraph 2.1)”"),
                    (
                        2,
                        "Before the closing punctuation: “Approve the budget (see paragraph 2.1);”",
                    ),
                ],
                default=2,
            ),
        ),
        migrations.RunPython(keep_submitted_wording, migrations.RunPython.noop),
    ]
