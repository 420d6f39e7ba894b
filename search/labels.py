"""Human labels of facet values, resolved when a search is shown (so they follow renames
and the reader's language): hubs and regions by slug, thematic fields by code, countries by
code."""

from django_countries import countries

from .types import FacetCount, SearchResults


def hub_labels(values) -> dict[str, str]:
    from goodpractices.models import Region
    from hubs.models import Hub

    labels = dict(Region.objects.filter(slug__in=values).values_list("slug", "name"))
    labels.update(Hub.objects.filter(slug__in=values).values_list("slug", "name"))
    return labels


def theme_labels(values) -> dict[str, str]:
    """The translated name of each thematic field (the one vocabulary, `core.themes`)."""
    from core.themes import ThematicField

    return {value: str(label) for value, label in ThematicField.choices if value in values}


def country_labels(values) -> dict[str, str]:
    return {code: str(countries.name(code)) for code in values if countries.name(code)}


def _readable(value: str) -> str:
    """A label for a value nothing names (a theme or region not, or no longer, defined)."""
    return value.replace("_", " ").replace("-", " ").strip().capitalize()


RESOLVERS = {"hub": hub_labels, "theme": theme_labels, "country": country_labels}


def label_facets(results: SearchResults) -> dict[str, dict[str, str]]:
    """Put labels on RESULTS' facet counts; returns the label maps (for the hits too)."""
    maps = {}
    for name, resolver in RESOLVERS.items():
        values = {count.value for count in results.facets.get(name, [])}
        for hit in results.hits:
            if name == "theme":
                values.update(hit.themes)
            elif name == "hub" and hit.hub:
                values.add(hit.hub)
            elif name == "country" and hit.country:
                values.add(hit.country)
        values.discard("")
        maps[name] = resolver(sorted(values)) if values else {}
        if name != "country":
            maps[name] = {value: maps[name].get(value) or _readable(value) for value in values}
        if name in results.facets:
            results.facets[name] = [
                FacetCount(value=c.value, count=c.count, label=maps[name].get(c.value, c.value))
                for c in results.facets[name]
            ]
    return maps
