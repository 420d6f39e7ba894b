"""The network's four thematic fields.

Defined here, in one place, until the shared `members.themes.ThematicField` lands; then this
module should re-export that class (values are the same slugs) and nothing else changes.
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
