"""Django admin for reference data the programme configures (industries, occupations)."""

from django.contrib import admin

from .models import Industry, Occupation


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_heritage", "sort_order"]
    list_editable = ["is_heritage", "sort_order"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
