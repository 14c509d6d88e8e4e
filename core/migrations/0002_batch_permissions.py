"""Editors and Viewers may follow background batches (view only: batches are written by their tasks)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(content_type__app_label="core", codename="view_batch")
    for name in ("Editors", "Viewers"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*view)


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=("Editors", "Viewers")):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="core"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_batches"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
