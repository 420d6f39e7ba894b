"""Demo people for the hubs: a coordinator for each hub, members in each, and one join request
waiting in SSA. Idempotent: everything goes through the membership services, and a person who
already has a membership is left as they are."""

import contextlib

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist

from network.demo import demo_user

from . import services
from .models import Hub, Membership

COORDINATORS = {
    "mena": ("amina.mena@connective-cities.example", "Amina Benali", "Tunis", "TN",
             "Connective Cities, MENA regional network"),
    "see": ("dragan.see@connective-cities.example", "Dragan Petrović", "Belgrade", "RS",
            "Connective Cities, SEE regional network"),
    "ssa": ("kwame.ssa@connective-cities.example", "Kwame Mensah", "Accra", "GH",
            "Connective Cities, SSA regional network"),
}  # fmt: skip

# (email, name, city, country, organisation)
MEMBERS = {
    "mena": [
        ("youssef.agadir@agadir.example", "Youssef El Amrani", "Agadir", "MA",
         "Commune d'Agadir, local economic development"),
        ("leila.tunis@tunis.example", "Leila Trabelsi", "Tunis", "TN",
         "Municipality of Tunis, waste management"),
        ("omar.amman@amman.example", "Omar Haddad", "Amman", "JO",
         "Greater Amman Municipality, urban planning"),
    ],
    "see": [
        ("nino.rustavi@rustavi.example", "Nino Beridze", "Rustavi", "GE",
         "Rustavi City Hall, municipal services"),
        ("arben.mitrovica@mitrovica.example", "Arben Krasniqi", "Mitrovica", "XK",
         "Municipality of Mitrovica, land management"),
        ("jelena.nis@nis.example", "Jelena Marković", "Niš", "RS",
         "City of Niš, circular economy"),
    ],
    "ssa": [
        ("wanjiru.nairobi@nairobi.example", "Wanjiru Kamau", "Nairobi", "KE",
         "Nairobi City County, water and sanitation"),
        ("jean-paul.kigali@kigali.example", "Jean-Paul Habimana", "Kigali", "RW",
         "City of Kigali, informal settlement upgrading"),
        ("aissatou.dakar@dakar.example", "Aïssatou Diallo", "Dakar", "SN",
         "Ville de Dakar, climate resilience"),
    ],
}  # fmt: skip

PENDING = ("thabo.durban@durban.example", "Thabo Nkosi", "Durban", "ZA",
           "eThekwini Municipality, solid waste")  # fmt: skip
PENDING_MESSAGE = (
    "I lead the waste-collection planning team in eThekwini and would like to learn from "
    "Nairobi and Kigali about working with informal collectors."
)


def _person(email, name, city, country, organisation):
    """A demo user, with the profile facts the members app can hold (where it holds them)."""
    user = demo_user(email, name)
    facts = {"city": city, "country": country, "organisation": organisation}
    targets = [user]
    with contextlib.suppress(AttributeError, ObjectDoesNotExist):
        targets.append(user.profile)
    for target in targets:
        changed = []
        for field_name, value in facts.items():
            try:
                target._meta.get_field(field_name)
            except FieldDoesNotExist:
                continue
            if not getattr(target, field_name):
                setattr(target, field_name, value)
                changed.append(field_name)
        if changed:
            target.save(update_fields=changed)
    return user


def seed(log):
    hubs = {hub.slug: hub for hub in Hub.objects.filter(slug__in=COORDINATORS)}
    for slug, hub in hubs.items():
        coordinator = _person(*COORDINATORS[slug])
        services.coordinator_assign(hub=hub, user=coordinator)
        log(coordinator.email, f"coordinator of {hub.name}")
        for index, row in enumerate(MEMBERS[slug]):
            member = _person(*row)
            if not Membership.objects.filter(hub=hub, user=member).exists():
                membership = services.membership_request(hub=hub, user=member)
                if membership.state == Membership.State.REQUESTED:
                    services.membership_approve(membership=membership, acting_user=coordinator)
            if index == 0:
                log(member.email, f"member of {hub.name}")
    if "ssa" in hubs:
        applicant = _person(*PENDING)
        if not Membership.objects.filter(hub=hubs["ssa"], user=applicant).exists():
            services.membership_request(hub=hubs["ssa"], user=applicant, message=PENDING_MESSAGE)
        log(applicant.email, "waiting for approval in SSA")
