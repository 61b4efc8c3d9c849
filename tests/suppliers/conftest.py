import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Import messages are asserted in English."""
    with translation.override("en"):
        yield
