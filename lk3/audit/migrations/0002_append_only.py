from django.db import migrations

from lk3.core.append_only import append_only_operations


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        *append_only_operations("audit_auditevent"),
        *append_only_operations("audit_accessevent"),
    ]
