"""Creates the staff groups: "Editors" may add, change and delete every domain model; "Viewers" may only view.

A later migration that adds a domain model grants it to the groups the same way.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMAIN_APPS = ("contacts", "delegations", "meetings")


def grant_domain_permissions(apps, schema_editor):
    # Permissions are normally created after migrate finishes; create them now.
    for label in DOMAIN_APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*domain)
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*domain.filter(codename__startswith="view_"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=("Editors", "Viewers")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0001_initial"),
        ("delegations", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_domain_permissions, remove_groups)]
