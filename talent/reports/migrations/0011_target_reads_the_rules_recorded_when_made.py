"""A target version reads the counting rules recorded when it was made: two versions from the same date (two
changes decided the same day) no longer count the same programmes. Each version made so far takes the newest rule
recorded by its creation (0 for the versions made before rules were kept: they read each programme's first)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models
from django.db.models import Max


def rules_recorded_by_each_version(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    ProgrammeCountingRule = apps.get_model("registry", "ProgrammeCountingRule")
    for target in Target.objects.all():
        recorded = ProgrammeCountingRule.objects.filter(created_at__lte=target.created_at)
        through = recorded.aggregate(newest=Max("id"))["newest"] or 0
        Target.objects.filter(pk=target.pk).update(counting_rules_through=through)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0010_target_effective_from'),
        ('registry', '0019_programme_counting_rules'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='target',
            name='target_versions_are_append_only',
        ),
        migrations.AddField(
            model_name='target',
            name='counting_rules_through',
            field=models.PositiveBigIntegerField(default=0, editable=False, help_text="The newest programme counting rule when this version was made: it counts by the rules recorded up to it (and each programme's first), so two versions from the same date count differently.", verbose_name='counting rules recorded up to'),
        ),
        migrations.RunPython(rules_recorded_by_each_version, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name='target',
            trigger=pgtrigger.compiler.Trigger(name='target_versions_are_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."code" IS DISTINCT FROM (NEW."code") OR OLD."version" IS DISTINCT FROM (NEW."version") OR OLD."basis" IS DISTINCT FROM (NEW."basis") OR OLD."value" IS DISTINCT FROM (NEW."value") OR OLD."start_date" IS DISTINCT FROM (NEW."start_date") OR OLD."deadline" IS DISTINCT FROM (NEW."deadline") OR OLD."effective_from" IS DISTINCT FROM (NEW."effective_from") OR OLD."counting_rules_through" IS DISTINCT FROM (NEW."counting_rules_through") OR OLD."prior_completion_rate" IS DISTINCT FROM (NEW."prior_completion_rate") OR OLD."prior_weight" IS DISTINCT FROM (NEW."prior_weight") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at"))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='ed57386dda4293a8d6a932b5edc43c7d8b972664', operation='UPDATE', pgid='pgtrigger_target_versions_are_append_only_7d082', table='reports_target', when='BEFORE')),
        ),
    ]
