from django.contrib import admin

from .models import Hub, Membership


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region", "join_policy"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "hub", "state", "role", "requested_at"]
    list_filter = ["hub", "state", "role"]
    search_fields = ["user__email", "user__name"]
    readonly_fields = [f.name for f in Membership._meta.fields]

    def has_add_permission(self, request):
        # Memberships change through the hub services only, so permissions stay in step.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
