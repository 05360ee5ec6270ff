## Lists taken out as files (CSV, XLSX)
export-id = ID
export-created_at = Created
export-updated_at = Last changed
export-file-people = people
export-file-companies = companies
invalid-export-too-large = The list has more than 100,000 rows; narrow it with filters and export it in parts.
invalid-export-format = Choose csv or xlsx (a CSV file may have the profile standard or excel-tr).
action-exported = Exported
field-export_format = Format
field-export_filter = List parameters
field-export_rows = Rows
field-exports_by_reps = Sales reps may export lists
export-button = Export
export-lead = The list as it is filtered, every page of it.
export-xlsx = Excel workbook (.xlsx)
export-excel-tr = CSV for Excel in Turkish (;)
export-csv = CSV (standard)
