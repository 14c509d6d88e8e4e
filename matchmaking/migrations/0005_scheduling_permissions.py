"""Grants Schedule all's models to the staff groups, as 0002_staff_groups does for the others: "Editors" may
add, change and delete scheduling proposals (compute, apply, discard) and change B2B sessions (schedule and
unschedule them); "Viewers" may only view them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("schedulingproposal", "b2bsession")


def grant_permissions(apps, schema_editor):
    app_config = apps.get_app_config("matchmaking")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="matchmaking", content_type__model__in=MODELS)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*ours)
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*ours.filter(codename__startswith="view_"))


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="matchmaking", content_type__model__in=MODELS)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=("Editors", "Viewers")):
        group.permissions.remove(*ours)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0004_scheduling_proposal")]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
