"""Demo good practices, retold from the Connective Cities newsletter (seed 004) and the
network's documents. `seed(log)` is idempotent: a practice whose slug exists is left alone."""

import json

from django.utils.html import escape

PRACTICES = [
    {
        "slug": "agadir-local-development-programme",
        "title": "Agadir's local development programme: a greener economy for a liveable city",
        "summary": (
            "Agadir wrote the environment into its public projects, from its local development "
            "programme down to individual investments, and has been recognised nationally and "
            "internationally for turning the Sustainable Development Goals into municipal practice."
        ),
        "city": "Agadir",
        "country": "MA",
        "region": "mena",
        "themes": ["local_economic_development", "integrated_urban_development"],
        "sdgs": [8, 11, 13],
        "period": "since 2017",
        "partners": "Municipal departments, the regional council, private investors",
        "city_size": "medium",
        "organisation": "Commune d'Agadir",
        "challenge": (
            "A fast-growing coastal city that lives from tourism, fishing and trade had to create "
            "jobs without using up the water, the coast and the green space its economy depends on."
        ),
        "approach": (
            "The city's local development programme treats the green economy as an economic "
            "strategy, not an afterthought. Every public project is checked for its environmental "
            "effect; parks, renewable energy and cleaner mobility are planned together with the "
            "investments that bring jobs.\n\nThe municipality uses the national and international "
            "sustainability goals as its yardstick and reports against them."
        ),
        "results": (
            "Several national and international awards for integrating the environmental "
            "dimension into public projects, and a programme other Moroccan cities ask about."
        ),
        "lessons": (
            "Set the environmental test at the start of each project, when it is cheap to change "
            "course, and measure against goals that investors and citizens already know."
        ),
        "quote": (
            "We want a city people love to live in; "
            "that is also what makes it attractive to invest in.",
            "A member of Agadir's planning team",
        ),
    },
    {
        "slug": "rustavi-closed-loop-plastic-recycling",
        "title": "Rustavi's closed-loop plastic recycling with kindergartens and schools",
        "summary": (
            "Rustavi set up a pilot cycle in which plastic waste collected in municipal "
            "kindergartens and public schools is recycled and returns as useful products, "
            "teaching a generation to separate waste on the way."
        ),
        "city": "Rustavi",
        "country": "GE",
        "region": "see",
        "themes": ["municipal_services"],
        "sdgs": [4, 11, 12],
        "period": "since 2019",
        "partners": "Rustavi City Hall, Rustavi Innovation Hub and its partners, UNDP Georgia",
        "city_size": "medium",
        "organisation": "Rustavi Innovation Hub",
        "challenge": (
            "Georgia has little separate collection of plastic: most plastic waste ends in "
            "landfills or in the environment, and there were few examples of recycling that "
            "people could see and take part in."
        ),
        "approach": (
            "In 2019 the city administration, the Rustavi Innovation Hub and its partners, with "
            "the support of UNDP Georgia, started a closed pilot loop. Kindergartens and public "
            "schools collect plastic separately; it is picked up, processed locally, and made "
            "into objects that go back to the same institutions.\n\nChildren learn why "
            "separation matters, and take the habit home to their families."
        ),
        "results": (
            "A working loop from collection to reuse involving the city's kindergartens and "
            "schools, and a model the city can scale to more public buildings."
        ),
        "lessons": (
            "Start where people can see the whole cycle. Children are strong ambassadors, and a "
            "closed loop with a few partners is easier to make reliable than a city-wide scheme."
        ),
    },
    {
        "slug": "mitrovica-informal-waste-collectors",
        "title": "Mitrovica works with its informal waste collectors",
        "summary": (
            "Mitrovica asked peers from Germany, Belo Horizonte and Quito how to give informal "
            "waste pickers an organisation of their own and a recognised place in the city's "
            "waste management."
        ),
        "city": "Mitrovica",
        "country": "XK",
        "region": "see",
        "themes": ["municipal_services", "good_urban_governance"],
        "sdgs": [1, 8, 11, 12],
        "period": "September to November 2020",
        "partners": (
            "Practitioners from German municipalities, Belo Horizonte (Brazil), Quito (Ecuador)"
        ),
        "city_size": "small",
        "organisation": "Municipality of Mitrovica",
        "challenge": (
            "Much of the city's recyclable waste is collected by informal pickers who work "
            "without protection, stable income or a say in how waste is managed."
        ),
        "approach": (
            "In a series of three virtual exchanges, the municipality discussed with colleagues "
            "from Germany and from two Latin American cities that have organised their pickers "
            "how an association of informal collectors could be founded, what the city can "
            "offer it, and how it fits into municipal collection."
        ),
        "results": (
            "A shared picture of the steps towards an organisation of waste pickers, and "
            "contacts to cities that have gone this way before."
        ),
        "lessons": (
            "Cities in Latin America have decades of experience with waste picker cooperatives; "
            "peer advice across regions saves years."
        ),
    },
    {
        "slug": "trier-regional-land-management",
        "title": "Trier: sustainable, resilient regional and inter-municipal land management",
        "summary": (
            "Trier and its neighbouring municipalities plan land together, weighing ecological, "
            "economic and social goals that often pull in different directions; some thirty "
            "practitioners from fourteen cities discussed how."
        ),
        "city": "Trier",
        "country": "DE",
        "region": "europe",
        "themes": ["integrated_urban_development", "good_urban_governance"],
        "sdgs": [11, 15, 17],
        "period": "November 2020",
        "partners": (
            "City of Trier, neighbouring municipalities, practitioners "
            "from 14 cities in 7 countries"
        ),
        "city_size": "medium",
        "organisation": "City of Trier",
        "challenge": (
            "Land is scarce and every plot is wanted for housing, business or nature. A single "
            "municipality cannot resolve these conflicts alone: people, traffic and water cross "
            "its borders."
        ),
        "approach": (
            "Land management is organised across municipal borders: the city and its region "
            "share information on land, agree on where to build and where to protect, and "
            "balance the three dimensions of sustainability in each project."
        ),
        "results": (
            "A regional way of deciding on land that was presented to and discussed with "
            "colleagues from 14 cities in 7 countries at a dialogue event hosted by Trier."
        ),
        "lessons": (
            "Conflicts between goals are normal; a shared regional process makes them visible "
            "early, when compromises are still possible."
        ),
    },
    {
        "slug": "berlin-jakarta-smart-city-partnership",
        "title": "The Berlin–Jakarta smart city partnership",
        "summary": (
            "Jakarta is on its way to becoming a smart city; Berlin brings the experience of "
            "Germany's start-up capital. An expert placed in Jakarta moves the partnership's "
            "digital transformation forward."
        ),
        "city": "Jakarta",
        "country": "ID",
        "region": "asia",
        "themes": ["good_urban_governance", "local_economic_development"],
        "sdgs": [9, 11, 17],
        "period": "since 2020",
        "partners": "State of Berlin, Jakarta Provincial Government",
        "city_size": "metropolis",
        "organisation": "Berlin–Jakarta city partnership",
        "challenge": (
            "A metropolis of more than ten million people needs smarter mobility, housing, "
            "environmental management and governance, and the know-how to build them."
        ),
        "approach": (
            "The two cities deepened their partnership around the smart city. A Berlin "
            "specialist works in Jakarta's administration, connecting its digital projects with "
            "Berlin's administration and start-up scene so that both learn from each other."
        ),
        "results": (
            "Joint projects on digital services and a standing exchange between the two "
            "administrations and their start-up ecosystems."
        ),
        "lessons": (
            "A person on the ground makes a partnership work day to day; digital "
            "transformation is as much about the administration's culture as about technology."
        ),
    },
    {
        "slug": "mena-green-jobs-local_economic_development",
        "title": "Jobs from green infrastructure and the circular economy in MENA cities",
        "summary": (
            "Municipalities of the MENA network plan local economic development strategically: "
            "sustainable livelihoods, social entrepreneurship, and jobs created by public "
            "investment in green infrastructure and the circular economy."
        ),
        "city": "Irbid",
        "country": "JO",
        "region": "mena",
        "themes": ["local_economic_development", "municipal_services"],
        "sdgs": [8, 11, 12],
        "period": "since October 2020",
        "partners": (
            "More than 40 municipal practitioners from 22 municipalities "
            "in 10 countries of the MENA region and Germany"
        ),
        "city_size": "large",
        "organisation": "Greater Irbid Municipality",
        "challenge": (
            "Young people in the region's cities need jobs, while municipalities invest in "
            "waste, water and public space with tight budgets."
        ),
        "approach": (
            "The municipality links its investment plan to its local economic development "
            "strategy: public works in green infrastructure and recycling are designed to "
            "create local jobs, and social entrepreneurs get support to run services around them."
        ),
        "results": (
            "Project plans for green and circular investments with a job target, shaped in a "
            "dialogue event and a follow-up planning workshop with peers from the region."
        ),
        "lessons": (
            "Count the jobs when you plan an investment, not after; social enterprises can "
            "carry municipal services where the private market does not."
        ),
    },
]


def _text(paragraphs: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs.split("\n\n"))


def _body(data: dict) -> str:
    body = [
        {"type": "challenge", "value": {"text": _text(data["challenge"])}},
        {"type": "approach", "value": {"text": _text(data["approach"])}},
        {"type": "results", "value": {"text": _text(data["results"])}},
    ]
    if "quote" in data:
        quote, attribution = data["quote"]
        body.append({"type": "quote", "value": {"quote": quote, "attribution": attribution}})
    body.append({"type": "lessons", "value": {"text": _text(data["lessons"])}})
    return json.dumps(body)


def seed(log):
    from . import selectors, services
    from .models import GoodPracticePage, Region, SustainableDevelopmentGoal, Theme

    index_page = selectors.practice_index()
    if index_page is None:
        return
    for data in PRACTICES:
        if GoodPracticePage.objects.filter(slug=data["slug"]).exists():
            continue
        page = GoodPracticePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            city=data["city"],
            country=data["country"],
            region=Region.objects.get(slug=data["region"]),
            period=data["period"],
            partners=data["partners"],
            city_size=data["city_size"],
            contact_organisation=data["organisation"],
            body=_body(data),
        )
        page.themes.set(Theme.objects.filter(slug__in=data["themes"]))
        page.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=data["sdgs"]))
        index_page.add_child(instance=page)
        page.save_revision().publish()

    # One proposal from a member of SEE (from members.demo), waiting for the SEE
    # coordinators in /admin/.
    from members.demo import demo_user

    proposer = demo_user("nino.beridze@rustavi.example", "Nino Beridze")
    if services.user_may_propose(proposer) and not proposer.practice_proposals.exists():
        services.proposal_submit(
            proposer=proposer,
            title="Shaded school yards against the summer heat",
            summary=(
                "Rustavi plants trees and unseals the yards of its public schools, so that "
                "children can play outside in summer and rain soaks into the ground."
            ),
            city="Rustavi",
            country="GE",
            region=Region.objects.get(slug="see"),
            themes=Theme.objects.filter(slug="integrated_urban_development"),
            sdgs=SustainableDevelopmentGoal.objects.filter(number__in=[4, 11, 13]),
            period="since 2022",
            challenge=(
                "Asphalt school yards become too hot to use in summer, and heavy rain floods them."
            ),
            approach=(
                "Together with the schools and parents, the city replaces asphalt with trees, "
                "grass and permeable paving, one school at a time, starting with the hottest."
            ),
            organisation="Rustavi City Hall",
            list_me_as_contact=True,
        )

    seed_translations(log)


# Translations -----------------------------------------------------------------
# Three practices in French and Arabic (title, summary, city; the rest shows the original
# until a translator gets to it), and the home and index pages. Mitrovica's original changes
# after it was translated, so its translations show as out of date.

TRANSLATIONS = {
    "agadir-local-development-programme": {
        "fr": {
            "title": "Le programme de développement local d'Agadir : une économie plus verte "
            "pour une ville où il fait bon vivre",
            "summary": "Agadir a inscrit l'environnement dans ses projets publics, de son "
            "programme de développement local jusqu'aux investissements, et a été reconnue "
            "pour avoir fait des objectifs de développement durable une pratique municipale.",
        },
        "ar": {
            "title": "برنامج التنمية المحلية في أكادير: اقتصاد أكثر خضرة لمدينة ملائمة للعيش",
            "summary": "أدرجت أكادير البيئة في مشاريعها العامة، من برنامج التنمية المحلية إلى "
            "الاستثمارات الفردية، ونالت اعترافًا وطنيًا ودوليًا لتحويلها أهداف التنمية "
            "المستدامة إلى ممارسة بلدية.",
            "city": "أكادير",
        },
    },
    "rustavi-closed-loop-plastic-recycling": {
        "fr": {
            "title": "Roustavi recycle le plastique en circuit fermé avec ses crèches et ses "
            "écoles",
            "summary": "Roustavi a lancé un cycle pilote : les déchets plastiques collectés dans "
            "les crèches et les écoles publiques sont recyclés et reviennent sous forme "
            "d'objets utiles, et une génération apprend à trier ses déchets.",
            "city": "Roustavi",
        },
        "ar": {
            "title": "روستافي تعيد تدوير البلاستيك في دورة مغلقة مع رياض الأطفال والمدارس",
            "summary": "أطلقت روستافي دورة تجريبية يُعاد فيها تدوير النفايات البلاستيكية التي "
            "تُجمع في رياض الأطفال والمدارس العامة لتعود منتجات مفيدة، ويتعلم جيل كامل فرز "
            "النفايات.",
            "city": "روستافي",
        },
    },
    "mitrovica-informal-waste-collectors": {
        "fr": {
            "title": "Mitrovica travaille avec ses collecteurs informels de déchets",
            "summary": "Mitrovica a demandé à ses pairs d'Allemagne, de Belo Horizonte et de "
            "Quito comment donner aux récupérateurs informels une organisation à eux et une "
            "place reconnue dans la gestion des déchets de la ville.",
        },
        "ar": {
            "title": "ميتروفيتسا تعمل مع جامعي النفايات غير الرسميين",
            "summary": "سألت ميتروفيتسا نظراءها في ألمانيا وبيلو هوريزونتي وكيتو كيف تمنح "
            "جامعي النفايات غير الرسميين تنظيمًا خاصًا بهم ومكانًا معترفًا به في إدارة "
            "النفايات في المدينة.",
            "city": "ميتروفيتسا",
        },
    },
}
# Added to Mitrovica's original after its translations were made.
OUT_OF_DATE_SLUG = "mitrovica-informal-waste-collectors"
OUT_OF_DATE_ADDITION = (
    " Since 2024 the collectors' cooperative holds a municipal contract for two districts."
)

PAGE_TRANSLATIONS = {
    "home": {
        "fr": {
            "title": "Connective Cities : des villes qui se conseillent",
            "intro": "Connective Cities est la plateforme internationale des villes pour le "
            "développement durable. Des praticiens municipaux de villes du monde entier se "
            "conseillent dans trois réseaux régionaux, apprennent des bonnes pratiques et "
            "construisent ensemble le programme du réseau.",
        },
        "ar": {
            "title": "كونكتيف سيتيز: مدن تتبادل المشورة",
            "intro": "كونكتيف سيتيز هي المنصة الدولية للمدن من أجل التنمية المستدامة. يتبادل "
            "الممارسون البلديون من مدن العالم المشورة في ثلاث شبكات إقليمية، ويتعلمون من "
            "الممارسات الجيدة، ويصوغون معًا برنامج الشبكة.",
        },
    },
    "practices": {
        "fr": {"title": "Bonnes pratiques"},
        "ar": {"title": "الممارسات الجيدة"},
    },
}


def _translate(page, language: str, texts: dict) -> bool:
    """Translates PAGE's fields named in TEXTS, once (an existing translation is kept)."""
    from wagtail.models import Locale

    from . import services

    existing = page.get_translation_or_none(Locale.objects.get(language_code=language))
    if existing is not None and existing.alias_of_id is None:
        return False
    strings = {getattr(page, name): text for name, text in texts.items() if getattr(page, name)}
    services.translation_save(page=page, language=language, strings=strings)
    return True


def seed_translations(log):
    from . import selectors, translations
    from .models import GoodPracticePage, HomePage

    english = translations.default_locale()
    index_page = selectors.practice_index()
    home = HomePage.objects.filter(locale=english).first()
    for page, key in ((home, "home"), (index_page, "practices")):
        if page is None:
            continue
        for language, texts in PAGE_TRANSLATIONS[key].items():
            _translate(page.specific, language, texts)
    for slug, languages in TRANSLATIONS.items():
        page = GoodPracticePage.objects.filter(slug=slug, locale=english).first()
        if page is None:
            continue
        made = [_translate(page, language, texts) for language, texts in languages.items()]
        if slug == OUT_OF_DATE_SLUG and any(made):
            page.summary = page.summary.rstrip() + OUT_OF_DATE_ADDITION
            page.save_revision().publish()
