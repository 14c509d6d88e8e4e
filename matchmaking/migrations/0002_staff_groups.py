"""Grants the matchmaking models to the staff groups, as meetings' 0002_staff_groups and 0007_history do
for the other domain apps: "Editors" may add, change and delete them; "Viewers" may only view them; both
may read their history, which nobody may edit."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("matchmaking")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="matchmaking").exclude(
        codename__contains="_historical", codename__regex=r"^(add|change|delete)_"
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*ours)
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*ours.filter(codename__startswith="view_"))


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=("Editors", "Viewers")):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="matchmaking"))


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0001_initial"),
        ("meetings", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
