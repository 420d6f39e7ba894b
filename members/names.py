"""What a display name may be: one line of a person's name, shown on pages and in mail to
other people. No line breaks or other control or format characters (direction overrides
could reorder what others read), no links, domain names or mail addresses (a name must not
carry an advert into a mail), at most NAME_MAX_LENGTH characters."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.exceptions import ActionError

NAME_MAX_LENGTH = 100

# Joiners that some scripts need inside words (Persian, the Indic scripts); every other
# format character (Cf: direction marks, overrides, isolates, invisible separators) is out.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}
_LINK = re.compile(
    r"""
      [a-z][a-z0-9+.-]*:/        # a scheme: http://, https:/, ftp://
    | \bwww\.                    # www.example
    | @                          # a mail address or a handle to write to
    | [\w-]\.[a-z]{2,}(?:[/:?\#]|\b(?!\.))  # a domain name: example.com, evil-site.org/x
    """,
    re.IGNORECASE | re.VERBOSE,
)


def display_name_clean(name) -> str:
    """NAME tidied (outer spaces gone, inner runs of spaces one space), or ActionError
    (invalid) saying what is wrong."""
    if not isinstance(name, str):
        raise ActionError(_("Please give your name."), code="invalid")
    for char in name:
        category = unicodedata.category(char)
        if char in "\t ":
            continue
        if category in ("Cc", "Zl", "Zp", "Cs", "Co", "Cn") or (
            category == "Cf" and char not in _ALLOWED_FORMAT
        ):
            raise ActionError(_("A name is one line, without control characters."), code="invalid")
    name = " ".join(name.split())
    if not name:
        raise ActionError(_("Please give your name."), code="invalid")
    if len(name) > NAME_MAX_LENGTH:
        raise ActionError(
            _("A name may be at most %(max)d characters long.") % {"max": NAME_MAX_LENGTH},
            code="invalid",
        )
    if _LINK.search(name):
        raise ActionError(
            _("A name cannot contain a web address, domain name or email address."),
            code="invalid",
        )
    return name


def validate_display_name(value) -> None:
    """The same rules as a form field validator."""
    try:
        display_name_clean(value)
    except ActionError as error:
        raise ValidationError(str(error.message), code="invalid") from None
