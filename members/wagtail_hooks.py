"""Wagtail admin: editors publish new versions of the community guidelines and the privacy
notice. Published versions are read-only (the consent ledger points at them): no edit, no
delete; a correction is a new version."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.exceptions import ActionError

from . import services
from .models import PolicyVersion
from .services.policies import MAX_TEXT_LENGTH

OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]


class PublishOnlyPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody changes or deletes a version."""

    FROZEN = {"change", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.FROZEN and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, set(actions) - self.FROZEN)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(PolicyVersion, PublishOnlyPolicy(PolicyVersion))


def _text_field(label, required):
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## headings, **bold**, lists, links, tables."),
    )


class PolicyVersionForm(WagtailAdminModelForm):
    body_en = _text_field(_("Text in English"), required=True)

    class Meta:
        model = PolicyVersion
        fields = ["document", "effective_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()
        self.fields["effective_date"].help_text = _(
            "From this day every member must accept the new version before going on."
        )
        for code, name in OTHER_LANGUAGES:
            self.fields[f"body_{code}"] = _text_field(
                _("Text in %(language)s (optional)") % {"language": name}, required=False
            )

    def clean_effective_date(self):
        value = self.cleaned_data["effective_date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the past."))
        return value


class PolicyVersionCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.policy_publish(
            document=data["document"],
            body=data["body_en"],
            translations={code: data.get(f"body_{code}", "") for code, _name in OTHER_LANGUAGES},
            effective_date=data["effective_date"],
            acting_user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ActionError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)


class PolicyVersionViewSet(ModelViewSet):
    model = PolicyVersion
    icon = "doc-full"
    menu_label = _("Policy documents")
    menu_order = 800
    add_to_admin_menu = True
    add_view_class = PolicyVersionCreateView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "effective_date", "published_at", "published_by"]
    list_filter = ["document"]
    inspect_view_fields = ["document", "number", "effective_date", "published_at", "published_by"]

    def get_form_class(self, for_update=False):
        return PolicyVersionForm


@hooks.register("register_admin_viewset")
def register_policy_viewset():
    return PolicyVersionViewSet("policy_versions")
