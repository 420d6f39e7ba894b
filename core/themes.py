"""The four thematic fields of Connective Cities: the one list every app imports.

Profiles (expertise), the expert directory, good-practice themes and consultation threads
all use `ThematicField`, so the codes stay the same everywhere:

    from core.themes import ThematicField
    theme = models.CharField(max_length=40, choices=ThematicField.choices)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThematicField(models.TextChoices):
    INTEGRATED_URBAN_DEVELOPMENT = (
        "integrated_urban_development",
        _("Integrated urban development"),
    )
    MUNICIPAL_SERVICES = "municipal_services", _("Municipal services")
    GOOD_URBAN_GOVERNANCE = "good_urban_governance", _("Good urban governance")
    LOCAL_ECONOMIC_DEVELOPMENT = "local_economic_development", _("Local economic development")


# Examples from the seed documents, for help texts.
EXAMPLES = {
    ThematicField.INTEGRATED_URBAN_DEVELOPMENT: _("e.g. climate resilience, mobility"),
    ThematicField.MUNICIPAL_SERVICES: _("e.g. waste, water"),
    ThematicField.GOOD_URBAN_GOVERNANCE: _("e.g. inclusion, digitalisation"),
    ThematicField.LOCAL_ECONOMIC_DEVELOPMENT: _("e.g. start-ups"),
}
