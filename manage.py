#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.dev")
    from django.core.management import execute_from_command_line

    from network.settings.environment import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        # One line naming the variable, not a traceback.
        sys.exit(f"configuration error: {exc}")


if __name__ == "__main__":
    main()
