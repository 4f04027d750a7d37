from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models

from .models import (
    ApiToken,
    EmailDomain,
    Invitation,
    Membership,
    Municipality,
    OidcIdentity,
    Organisation,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["municipality", "organisation"]


@admin.register(User)
class SamskapUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "county", "default_language", "privacy_threshold"]
    search_fields = ["name", "number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number", "home_municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued on the user's own page (the secret is shown once); revoked here."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made on the coordinators' page (the link is shown once); seen here."""

    list_display = ["email", "role", "municipality", "organisation", "created_at", "expires_at"]
    list_filter = ["role", "municipality"]
    search_fields = ["email"]
    readonly_fields = [
        "municipality",
        "organisation",
        "role",
        "email",
        "created_by",
        "created_at",
        "accepted_at",
        "accepted_by",
    ]
    exclude = ["digest"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    """Single sign-on: an address in the domain gets this (low) role in the municipality."""

    list_display = ["domain", "municipality", "role"]
    search_fields = ["domain"]


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Which provider identity signs in to which account; delete a row to unlink it."""

    list_display = ["subject", "issuer", "user", "created_at", "last_login_at"]
    search_fields = ["subject", "user__username", "user__email"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_login_at"]

    def has_add_permission(self, request) -> bool:
        return False
