## Dosya olarak dışa aktarılan listeler (CSV, XLSX)
export-id = No
export-created_at = Oluşturulma
export-updated_at = Son değişiklik
export-file-people = kisiler
export-file-companies = firmalar
invalid-export-too-large = Listede 100.000'den fazla satır var; süzgeçlerle daraltıp parça parça aktarın.
invalid-export-format = csv ya da xlsx seçin (CSV dosyasının profili standard ya da excel-tr olabilir).
action-exported = Dışa aktarıldı
field-export_format = Biçim
field-export_filter = Liste parametreleri
field-export_rows = Satır
field-exports_by_reps = Satış temsilcileri liste dışa aktarabilir
export-button = Dışa aktar
export-lead = Listenin süzülmüş hâli, bütün sayfalarıyla.
export-xlsx = Excel çalışma kitabı (.xlsx)
export-excel-tr = Türkçe Excel için CSV (;)
export-csv = CSV (standart)
