from django.contrib import admin

from keino.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "status",
        "progress_done",
        "progress_total",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [field.name for field in Job._meta.fields]
