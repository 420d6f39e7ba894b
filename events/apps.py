from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Learning processes and events")

    def ready(self):
        from calls.signals import proposal_accepted

        from . import personal_data, receivers

        personal_data.register()
        proposal_accepted.connect(
            receivers.proposal_accepted, dispatch_uid="events.learning_process_from_proposal"
        )
