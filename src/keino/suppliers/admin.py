from django.contrib import admin

from keino.suppliers.models import Municipality, Supplier


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "business_id"]
    list_filter = ["region"]
    search_fields = ["code", "name", "name_sv", "business_id"]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["business_id", "name", "supplier_type", "type_inferred", "tol_code", "source"]
    list_filter = ["supplier_type", "type_inferred"]
    search_fields = ["business_id", "name"]
    list_select_related = ["municipality"]
    raw_id_fields = ["municipality"]
