"""The database holds a list to its field's size, as validation does (the check registry.E002 asks for it)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='notificationsettings',
            constraint=models.CheckConstraint(condition=models.Q(('muted_kinds__len__lte', 5)), name='notification_settings_kinds_size'),
        ),
    ]
