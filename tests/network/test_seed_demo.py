"""seed_demo: refused under production settings without an explicit flag, and silent: no
mail leaves while seeding, neither at once nor queued for the worker."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_production_settings_refuse_demo_content(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(email__endswith=".example").exists()


@pytest.mark.django_db
def test_seeding_sends_no_mail(mailoutbox, capsys):
    call_command("seed_demo")
    assert get_user_model().objects.exists()
    assert mailoutbox == []
    assert "Demo logins" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_flag_allows_seeding_a_demonstration_site(settings, mailoutbox):
    settings.DEMO_CONTENT_ALLOWED = False
    call_command("seed_demo", "--allow-production")
    assert get_user_model().objects.filter(is_superuser=True).exists()
    assert mailoutbox == []
