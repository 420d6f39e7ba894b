"""Staff oversight: what was sent and what waits (read-only lists)."""

from django.contrib import admin

from .models import DigestSent, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "hub", "count", "updated", "read_at", "mail_state")
    list_filter = ("kind", "mail_state")
    raw_id_fields = ("recipient", "actor", "hub", "thread", "message", "page")
    date_hierarchy = "updated"

    def has_add_permission(self, request):
        return False


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ("user", "period", "key", "items", "sent_at")
    list_filter = ("period",)
    raw_id_fields = ("user",)

    def has_add_permission(self, request):
        return False
