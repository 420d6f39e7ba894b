"""Django admin for staff. Memberships and permissions change only through the hub services:
staff assign and remove coordinators on the hub's form (or with the actions on the
memberships list); nothing here edits a membership or a permission by hand."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.exceptions import ActionError

from . import selectors, services
from .models import Hub, Membership, ModerationLogEntry


class HubAdminForm(forms.ModelForm):
    add_coordinator = forms.EmailField(
        label=_("Add a coordinator"),
        required=False,
        help_text=_("The email address of a registered person. They become a member too."),
    )
    remove_coordinators = forms.ModelMultipleChoiceField(
        label=_("Remove coordinators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They stay members of the hub."),
    )

    class Meta:
        model = Hub
        fields = [
            "name",
            "slug",
            "region",
            "description",
            "translations",
            "working_languages",
            "join_policy",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["remove_coordinators"].queryset = selectors.hub_coordinators(
                hub=self.instance
            )
        else:
            del self.fields["remove_coordinators"]

    def clean_add_coordinator(self):
        email = self.cleaned_data["add_coordinator"]
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("Nobody is registered with this email address."))
        if not user.is_active:
            raise forms.ValidationError(_("This account is deactivated."))
        return user


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    form = HubAdminForm
    list_display = ["name", "slug", "region", "join_policy", "coordinator_names"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "region", "description", "working_languages"]},
        ),
        (_("In other languages"), {"fields": ["translations"]}),
        (_("Joining"), {"fields": ["join_policy"]}),
        (_("Coordinators"), {"fields": ["current_coordinators", "add_coordinator"]}),
    ]
    readonly_fields = ["current_coordinators"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = [
                *fieldsets[:-1],
                (
                    _("Coordinators"),
                    {"fields": ["current_coordinators", "add_coordinator", "remove_coordinators"]},
                ),
            ]
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__user")

    @admin.display(description=_("coordinators"))
    def coordinator_names(self, hub):
        return ", ".join(
            m.user.name
            for m in hub.memberships.all()
            if m.state == Membership.State.ACTIVE and m.role == Membership.Role.COORDINATOR
        )

    @admin.display(description=_("current coordinators"))
    def current_coordinators(self, hub):
        if hub is None or hub.pk is None:
            return "-"
        names = ", ".join(f"{u.name} <{u.email}>" for u in selectors.hub_coordinators(hub=hub))
        return names or _("None yet")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        hub = form.instance
        new = form.cleaned_data.get("add_coordinator")
        if new is not None:
            services.coordinator_assign(hub=hub, user=new, acting_user=request.user)
            messages.success(
                request, _("%(name)s coordinates %(hub)s.") % {"name": new.name, "hub": hub}
            )
        for person in form.cleaned_data.get("remove_coordinators") or ():
            services.coordinator_remove(hub=hub, user=person, acting_user=request.user)
            messages.success(
                request,
                _("%(name)s no longer coordinates %(hub)s.") % {"name": person.name, "hub": hub},
            )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "hub", "state", "role", "requested_at", "joined_at"]
    list_filter = ["hub", "state", "role"]
    list_select_related = ["user", "hub"]
    search_fields = ["user__email", "user__name"]
    readonly_fields = [f.name for f in Membership._meta.fields]
    actions = ["make_coordinator", "remove_coordinator"]

    def has_add_permission(self, request):
        # Memberships change through the hub services only, so permissions stay in step.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, service, done):
        count = 0
        for membership in queryset.select_related("user", "hub"):
            try:
                service(hub=membership.hub, user=membership.user, acting_user=request.user)
            except ActionError as error:
                self.message_user(
                    request, f"{membership.user}: {error.message}", level=messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, done(count), level=messages.SUCCESS)

    @admin.action(description=_("Make the selected people coordinators of their hub"))
    def make_coordinator(self, request, queryset):
        self._run(
            request,
            queryset,
            services.coordinator_assign,
            lambda n: ngettext("%d coordinator assigned.", "%d coordinators assigned.", n) % n,
        )

    @admin.action(description=_("Remove the coordinator role (they stay members)"))
    def remove_coordinator(self, request, queryset):
        self._run(
            request,
            queryset,
            services.coordinator_remove,
            lambda n: ngettext("%d coordinator removed.", "%d coordinators removed.", n) % n,
        )


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    """Append-only: staff read the log, nobody edits it."""

    list_display = ["created", "hub", "actor", "action", "subject", "reason"]
    list_filter = ["hub", "action"]
    list_select_related = ["hub", "actor", "subject"]
    search_fields = ["actor__email", "subject__email", "reason", "target"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
