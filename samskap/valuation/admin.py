from django.contrib import admin

from .models import Proxy


@admin.register(Proxy)
class ProxyAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "unit", "price_year", "source", "licence"]
    search_fields = ["name", "source"]
