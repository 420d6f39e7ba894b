"""Django admin (staff): learning processes are kept here by editors and staff; events,
registrations and the log can be looked at. Changes to events go through the site's pages,
where the services mail the people concerned."""

from django.contrib import admin

from .models import Event, EventLogEntry, LearningProcess, Registration


@admin.register(LearningProcess)
class LearningProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "host_name", "host_country", "year", "status"]
    list_filter = ["status", "year", "hubs"]
    search_fields = ["title", "topic", "host_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["hubs", "practices", "threads"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind", "hubs", "online"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "state", "queued_at", "attended"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Registration._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EventLogEntry)
class EventLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "event", "actor", "action", "subject"]
    readonly_fields = [f.name for f in EventLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
