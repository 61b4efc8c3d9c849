"""Load the shipped municipality list (data/municipalities.csv), so a fresh database has it.

`keino load_reference` loads the file again after it changes.
"""

from django.db import migrations

from keino.suppliers.reference import municipalities_sync, municipality_rows


def load_municipalities(apps, schema_editor):
    municipalities_sync(apps.get_model("suppliers", "Municipality"), municipality_rows())


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0001_initial")]

    operations = [migrations.RunPython(load_municipalities, migrations.RunPython.noop)]
