"""Synthetic practice-like documents and queries in English, French, Arabic and German.

The German vocabulary comes from the seed documents (/work/shared/seeds/*.txt, or the
`seeds/` folder next to the repository); English, French and Arabic from the word lists
below, about municipal practice. Words are drawn with a Zipf-like distribution, so a few
words are in most documents and most words in few, as in real text. Everything is seeded:
the same arguments give the same documents and queries.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from .common import ROOT


def _words(text):
    return text.split()


ENGLISH = _words(
    """
waste collection recycling informal collectors cooperative landfill compost water supply
sanitation drainage flood resilience climate adaptation heat mitigation mobility transport
cycling walking buses traffic parking housing slum upgrading land management cadastre
property tax revenue budget participatory planning citizens participation youth women
inclusion migrants refugees integration employment startups entrepreneurship market
informal economy tourism heritage culture education schools health clinics pandemic
digitalisation egovernment open data smart services permits transparency accountability
corruption governance council mayor municipality district neighbourhood association
partnership dialogue exchange learning peer advice expert training capacity development
energy efficiency solar lighting streetlights buildings renovation green spaces parks trees
biodiversity river coast port airport industry jobs skills vocational agriculture urban
gardens food security nutrition markets abattoir fire emergency disaster risk early warning
asset maintenance pipes leaks metering tariffs billing customers complaints feedback survey
monitoring indicators evaluation report strategy plan masterplan zoning permits construction
"""
)

FRENCH = _words(
    """
déchets collecte recyclage collecteurs informels coopérative décharge compostage eau potable
assainissement drainage inondation résilience climat adaptation chaleur mobilité transport
vélo marche autobus circulation stationnement logement bidonville foncier cadastre fiscalité
impôt recettes budget participatif planification citoyens participation jeunes femmes
inclusion migrants réfugiés intégration emploi entreprises entrepreneuriat marché économie
tourisme patrimoine culture éducation écoles santé dispensaires pandémie numérique
administration données ouvertes services permis transparence redevabilité gouvernance
conseil maire commune quartier association partenariat dialogue échange apprentissage
conseil expert formation renforcement capacités énergie efficacité solaire éclairage
bâtiments rénovation espaces verts parcs arbres biodiversité fleuve littoral industrie
compétences agriculture urbaine jardins alimentation marchés incendie urgence catastrophe
risque alerte entretien canalisations fuites compteurs tarifs facturation usagers plaintes
enquête suivi indicateurs évaluation rapport stratégie aménagement zonage construction
"""
)

ARABIC = _words(
    """
النفايات جمع التدوير العمال غير الرسميين تعاونية مكب السماد المياه الشرب الصرف الصحي
الفيضانات الصمود المناخ التكيف الحرارة التنقل النقل الدراجات المشي الحافلات المرور
المواقف السكن العشوائيات الأراضي السجل العقاري الضرائب الإيرادات الميزانية التشاركية
التخطيط المواطنين المشاركة الشباب النساء الإدماج المهاجرين اللاجئين الاندماج التشغيل
المقاولات الريادة السوق الاقتصاد السياحة التراث الثقافة التعليم المدارس الصحة الجائحة
الرقمنة الإدارة البيانات المفتوحة الخدمات الرخص الشفافية المساءلة الحوكمة المجلس
العمدة البلدية الحي الجمعية الشراكة الحوار التبادل التعلم الخبراء التدريب القدرات
الطاقة النجاعة الشمسية الإنارة المباني التجديد المساحات الخضراء الحدائق الأشجار
التنوع البيولوجي النهر الساحل الصناعة المهارات الزراعة الحضرية الغذاء الأسواق الحرائق
الطوارئ الكوارث المخاطر الإنذار الصيانة الأنابيب التسربات العدادات التعريفة الفواتير
الشكاوى الاستبيان الرصد المؤشرات التقييم التقرير الاستراتيجية المخطط التهيئة البناء
"""
)

CITIES = [
    ("Agadir", "MA", "mena"),
    ("Tunis", "TN", "mena"),
    ("Amman", "JO", "mena"),
    ("Irbid", "JO", "mena"),
    ("Rustavi", "GE", "see"),
    ("Mitrovica", "XK", "see"),
    ("Tirana", "AL", "see"),
    ("Sarajevo", "BA", "see"),
    ("Nairobi", "KE", "ssa"),
    ("Accra", "GH", "ssa"),
    ("Kumasi", "GH", "ssa"),
    ("Dakar", "SN", "ssa"),
    ("Trier", "DE", "see"),
    ("Berlin", "DE", "mena"),
    ("Jakarta", "ID", "ssa"),
]
THEMES = [
    "integrated-urban-development",
    "municipal-services",
    "good-urban-governance",
    "local-economic-development",
]
LANGUAGES = ["en", "fr", "ar", "de"]
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def seed_dir():
    for candidate in (Path("/work/shared/seeds"), ROOT.parent / "shared" / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


def german_words():
    folder = seed_dir()
    words = []
    if folder:
        for path in sorted(folder.glob("*.txt")):
            words.extend(w.lower() for w in WORD.findall(path.read_text(encoding="utf-8")))
    # Frequency order, as in the seeds; a small fallback keeps the benchmark runnable.
    counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    ordered = sorted(counts, key=lambda w: (-counts[w], w))
    return ordered or _words("stadt kommune abfall wasser klima verwaltung bürger")


@dataclass
class Vocabulary:
    words: dict[str, list[str]]

    @classmethod
    def build(cls):
        return cls({"en": ENGLISH, "fr": FRENCH, "ar": ARABIC, "de": german_words()})

    def zipf(self, rng, language, k):
        words = self.words[language]
        weights = _weights(len(words))
        return rng.choices(words, cum_weights=weights, k=k)


_WEIGHTS = {}


def _weights(n):
    if n not in _WEIGHTS:
        total, cumulative = 0.0, []
        for rank in range(n):
            total += 1 / (rank + 1)
            cumulative.append(total)
        _WEIGHTS[n] = cumulative
    return _WEIGHTS[n]


@dataclass
class Document:
    id: int
    language: str
    title: str
    summary: str
    body: str
    city: str
    country: str
    hub: str
    theme: str


def documents(count, *, seed=9, body_words=(60, 140)):
    """COUNT practice-like documents, a quarter in each language."""
    rng = random.Random(seed)
    vocabulary = Vocabulary.build()
    for i in range(count):
        language = LANGUAGES[i % len(LANGUAGES)]
        city, country, hub = rng.choice(CITIES)
        title = " ".join(vocabulary.zipf(rng, language, rng.randint(4, 8)))
        summary = " ".join(vocabulary.zipf(rng, language, rng.randint(15, 30)))
        body = " ".join(vocabulary.zipf(rng, language, rng.randint(*body_words)))
        yield Document(
            id=i + 1,
            language=language,
            title=f"{city}: {title}",
            summary=summary,
            body=body,
            city=city,
            country=country,
            hub=hub,
            theme=rng.choice(THEMES),
        )


@dataclass
class Query:
    kind: str
    text: str
    terms: list[str]
    prefix: bool = False


def queries(count=500, *, seed=99):
    """COUNT mixed queries: frequent and rare single words, two words, a prefix, a city,
    and words found nowhere, in all four languages."""
    rng = random.Random(seed)
    vocabulary = Vocabulary.build()
    kinds = [
        ("frequent", 30),
        ("rare", 20),
        ("two words", 20),
        ("prefix", 10),
        ("city and word", 10),
        ("no match", 10),
    ]
    names, weights = zip(*kinds, strict=True)
    found = []
    for _ in range(count):
        kind = rng.choices(names, weights=weights)[0]
        language = rng.choice(LANGUAGES)
        words = vocabulary.words[language]
        if kind == "frequent":
            terms = [rng.choice(words[:20])]
        elif kind == "rare":
            terms = [rng.choice(words[len(words) // 2 :])]
        elif kind == "two words":
            terms = vocabulary.zipf(rng, language, 2)
        elif kind == "prefix":
            word = rng.choice([w for w in words[:100] if len(w) >= 6])
            found.append(Query(kind, word[:4], [word[:4]], prefix=True))
            continue
        elif kind == "city and word":
            terms = [rng.choice(CITIES)[0], rng.choice(words[:50])]
        else:
            terms = [f"zq{rng.randrange(10**6)}x"]
        found.append(Query(kind, " ".join(terms), terms))
    return found
