from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from keino.organisations.models import CoachingAssignment, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class CoachingInline(admin.TabularInline):
    model = CoachingAssignment
    extra = 0
    autocomplete_fields = ["expert"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "type", "business_id", "municipality_code"]
    list_filter = ["type"]
    search_fields = ["name", "slug", "business_id"]
    inlines = [MembershipInline, CoachingInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Keino"), {"fields": ["is_expert"]}),
    )
    list_display = [*DjangoUserAdmin.list_display, "is_expert"]
    list_filter = [*DjangoUserAdmin.list_filter, "is_expert"]
