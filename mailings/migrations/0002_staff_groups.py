"""Editors may send agendas (adding to the log is what the action does) and read the log; Viewers may read
it. The log itself is written by the tasks only: nobody changes or deletes it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("mailings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="mailings")
    view = ours.filter(codename__startswith="view_")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*view, *ours.filter(codename="add_agendasend"))
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*view)


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=("Editors", "Viewers")):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="mailings"))


class Migration(migrations.Migration):
    dependencies = [
        ("mailings", "0001_initial"),
        ("matchmaking", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
