from django.conf import global_settings, settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.themes import ThematicField

from .managers import UserManager

# Languages a member may speak: Django's list of some hundred languages (ISO 639-1 codes,
# plus a few regional variants), not only the four the site is translated into.
SPOKEN_LANGUAGES = sorted(
    ((code, name) for code, name in global_settings.LANGUAGES if "-" not in code),
    key=lambda item: item[0],
)
_SPOKEN_NAMES = dict(SPOKEN_LANGUAGES)


def language_name(code: str) -> str:
    """The language's name in the active language."""
    from django.utils.translation import gettext

    name = _SPOKEN_NAMES.get(code)
    return gettext(name) if name else code


class User(AbstractUser):
    """A person with an account. The email address is the login; `name` is shown to others."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    # Filled from the name when the account is made (members.handles); never reused.
    handle = models.CharField(
        _("handle"),
        max_length=60,
        unique=True,
        help_text=_("Others mention you in messages as @handle."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name


class PolicyDocument(models.TextChoices):
    """The documents every member accepts: a series of published versions each."""

    GUIDELINES = "guidelines", _("Community guidelines")
    PRIVACY = "privacy", _("Privacy notice")


class PolicyVersion(models.Model):
    """One published version of a policy document. Never changed once published: the
    consent ledger points at it. A version is current from its effective date until a
    later version takes effect."""

    document = models.CharField(_("document"), max_length=20, choices=PolicyDocument.choices)
    number = models.PositiveIntegerField(_("version"))
    effective_date = models.DateField(_("effective date"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_document")
        ]

    def __str__(self):
        return f"{self.get_document_display()} v{self.number}"


class PolicyText(models.Model):
    """The text of a version in one language (English always; others optional). Markdown,
    rendered once on publication by `core.markdown.render_markdown`."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(_("text (markdown)"))
    body_html = models.TextField(editable=False)

    class Meta:
        verbose_name = _("policy text")
        verbose_name_plural = _("policy texts")
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="one_text_per_language")
        ]

    def __str__(self):
        return f"{self.version} ({self.language})"


class ConsentRecord(models.Model):
    """The consent ledger: one row per acceptance or withdrawal of a policy version.

    Append-only: rows are written by `members.services.consent` and never changed. The one
    exception is account deletion, which removes the link to the person (`user` becomes
    empty) so that no personal data is left behind."""

    class How(models.TextChoices):
        SIGNUP = "signup", _("at signup")
        RECONSENT = "reconsent", _("accepted a new version")
        WITHDRAWAL = "withdrawal", _("withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="consents")
    language = models.CharField(_("language shown"), max_length=8)
    how = models.CharField(_("how"), max_length=12, choices=How.choices)
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["user", "version"])]

    def __str__(self):
        return f"{self.user_id} {self.get_how_display()} {self.version} ({self.language})"


class Profile(models.Model):
    """What a member tells the network about themselves. Created at signup."""

    class OrganisationType(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality or municipal company")
        CITY_ASSOCIATION = "city_association", _("City association")
        NGO = "ngo", _("NGO or civic initiative")
        RESEARCH = "research", _("Research or education")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("All members")
        HUBS = "hubs", _("Members of my hubs only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices
    )
    city = models.CharField(_("city"), max_length=120)
    country = CountryField(_("country"))
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_(
            "Event times are shown to you in this zone (an IANA name such as Europe/Berlin). "
            "Empty: the zone of your country."
        ),
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    bio = models.TextField(_("short bio"), max_length=1500, blank=True)
    available_for_advice = models.BooleanField(
        _("available for peer advice"),
        default=False,
        help_text=_("List me in the expert directory so that other members can ask me."),
    )
    visibility = models.CharField(
        _("who may see my profile"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["available_for_advice", "country"])]

    def __str__(self):
        return str(self.user)


class Expertise(models.Model):
    """A thematic field a member offers advice in."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="expertise")
    theme = models.CharField(_("thematic field"), max_length=40, choices=ThematicField.choices)

    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        ordering = ["theme"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "theme"], name="one_row_per_theme")
        ]
        indexes = [models.Index(fields=["theme"])]

    def __str__(self):
        return self.get_theme_display()


class SpokenLanguage(models.Model):
    """A language a member speaks (ISO 639-1 code from Django's language list)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="languages")
    # Validated against SPOKEN_LANGUAGES by the form; no choices here, so that Django's list
    # growing does not make a migration.
    language = models.CharField(_("language"), max_length=8)

    class Meta:
        verbose_name = _("language spoken")
        verbose_name_plural = _("languages spoken")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="one_row_per_language")
        ]
        indexes = [models.Index(fields=["language"])]

    def __str__(self):
        return language_name(self.language)
