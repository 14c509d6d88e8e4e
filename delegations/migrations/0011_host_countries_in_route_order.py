import django_countries.fields
from django.db import migrations


def host_countries(help_text: str) -> django_countries.fields.CountryField:
    return django_countries.fields.CountryField(
        help_text=help_text, max_length=746, multiple=True, multiple_sort=False, verbose_name="host countries"
    )


class Migration(migrations.Migration):
    """Host countries keep the order staff give (the route). The column is the same comma-separated text:
    only the model's state changes, so no table is rebuilt (SQLite would drop core.same_owner's triggers).
    Visits saved before keep the order they were stored in, by code."""

    dependencies = [
        ("delegations", "0010_links_inside_one_visit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name="host_countries",
                    field=host_countries("One or more, in the order of the route."),
                )
                for model in ("delegation", "historicaldelegation")
            ],
        ),
    ]
