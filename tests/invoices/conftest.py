import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Importer messages are asserted in English unless a test chooses another language."""
    with translation.override("en"):
        yield
