from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models

from .models import Membership, Municipality, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["municipality", "organisation"]


@admin.register(User)
class SamskapUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "county", "default_language"]
    search_fields = ["name", "number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number", "home_municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
