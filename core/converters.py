"""URL path converters shared by every app."""


class IdConverter:
    """A database id in a URL: 1 to 18 digits, so that it always fits a 64-bit integer column
    (`<int:…>` accepts 25 digits, and the database then fails with a 500). Longer numbers
    match no URL: a 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
