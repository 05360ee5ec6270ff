//! Custom field definitions and the typed copies of records' custom values.
//!
//! A record keeps its custom values as JSON in its own row (read with it); each value is also
//! written, in the same transaction, to `custom_values` in its comparable form
//! ([`CustomField::comparables`]), where lists filter and sort on it through three indexes
//! shared by every field ([`crate::listing`]).
//!
//! Definitions are not records of anyone's portfolio: every signed-in user may read them, and
//! the services let only administrators write them.

use crate::audit::AuditEntry;
use crate::codec::{from_json, to_json};
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use rehber_domain::custom::{Comparable, CustomField, CustomValues, FieldType, ValidDraft};
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SimpleExpr, Value};

const COLUMNS: [&str; 15] = [
    "id",
    "record_type",
    "key",
    "field_type",
    "label_tr",
    "label_en",
    "required",
    "options",
    "decimals",
    "section",
    "position",
    "in_list",
    "filterable",
    "archived",
    "version",
];

fn read(row: &Row) -> Result<CustomField, StoreError> {
    let field_type: String = row.get("field_type")?;
    Ok(CustomField {
        id: row.get("id")?,
        record_type: row.get("record_type")?,
        key: row.get("key")?,
        field_type: FieldType::parse(&field_type)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown field type {field_type:?}")))?,
        label_tr: row.get("label_tr")?,
        label_en: row.get("label_en")?,
        required: row.get("required")?,
        options: from_json(&row.get::<String>("options")?)?,
        decimals: u8::try_from(row.get::<i32>("decimals")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        section: row.get("section")?,
        position: row.get("position")?,
        in_list: row.get("in_list")?,
        filterable: row.get("filterable")?,
        archived: row.get("archived")?,
        version: row.get("version")?,
    })
}

/// The settings a definition's create and update write.
fn settings(valid: &ValidDraft) -> Vec<(&'static str, Value)> {
    let d = &valid.draft;
    vec![
        ("label_tr", d.label_tr.clone().into()),
        ("label_en", d.label_en.clone().into()),
        ("required", d.required.into()),
        ("options", to_json(&d.options).into()),
        ("decimals", i32::from(d.decimals).into()),
        ("section", d.section.clone().into()),
        ("position", d.position.into()),
        ("in_list", d.in_list.into()),
        ("filterable", d.filterable.into()),
        ("archived", d.archived.into()),
    ]
}

fn select_fields() -> sea_query::SelectStatement {
    let mut select = Query::select();
    select
        .columns(COLUMNS.map(Alias::new))
        .from(Alias::new("custom_fields"))
        .order_by(Alias::new("position"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc);
    select
}

/// How many active fields a kind has, inside a transaction.
async fn active_count(conn: &mut Conn<'_>, record_type: &str) -> Result<i64, StoreError> {
    let mut count = Query::select();
    count
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new("custom_fields"))
        .and_where(Expr::col(Alias::new("record_type")).eq(record_type))
        .and_where(Expr::col(Alias::new("archived")).eq(false));
    conn.fetch_i64(&count).await
}

/// Why a definition could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CustomFieldRefusal {
    /// The kind already has [`rehber_domain::custom::MAX_ACTIVE_FIELDS`] active fields.
    #[error("too many active custom fields")]
    TooMany,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// The definitions of a record kind in their order (archived ones when asked).
    pub async fn custom_fields(
        &self,
        record_type: &str,
        include_archived: bool,
    ) -> Result<Vec<CustomField>, StoreError> {
        let mut select = select_fields();
        select.and_where(Expr::col(Alias::new("record_type")).eq(record_type));
        if !include_archived {
            select.and_where(Expr::col(Alias::new("archived")).eq(false));
        }
        self.fetch_rows(&select).await?.iter().map(read).collect()
    }

    /// Every definition of every kind (archived ones when asked).
    pub async fn all_custom_fields(
        &self,
        include_archived: bool,
    ) -> Result<Vec<CustomField>, StoreError> {
        let mut select = select_fields();
        if !include_archived {
            select.and_where(Expr::col(Alias::new("archived")).eq(false));
        }
        self.fetch_rows(&select).await?.iter().map(read).collect()
    }

    pub async fn custom_field(&self, id: i64) -> Result<CustomField, StoreError> {
        let mut select = select_fields();
        select.and_where(Expr::col(Alias::new("id")).eq(id));
        match self.fetch_rows(&select).await?.first() {
            Some(row) => read(row),
            None => Err(StoreError::NotFound),
        }
    }

    /// Stores a new definition (refused past the kind's active-field limit; a taken key is
    /// [`StoreError::Unique`] `custom_fields_record_type_key`) with its audit entry.
    pub async fn create_custom_field(
        &self,
        record_type: &str,
        valid: &ValidDraft,
        limit: usize,
        entry: AuditEntry,
    ) -> Result<i64, CustomFieldRefusal> {
        let now = now_micros();
        let outcome = self
            .write(async |conn| {
                if !valid.draft.archived && active_count(conn, record_type).await? >= limit as i64 {
                    return Ok(None);
                }
                let mut pairs = settings(valid);
                pairs.extend([
                    ("record_type", record_type.into()),
                    ("key", valid.key.clone().into()),
                    ("field_type", valid.field_type.as_str().into()),
                    ("version", 1i64.into()),
                    ("created_at", now.into()),
                    ("updated_at", now.into()),
                ]);
                let (columns, values): (Vec<Alias>, Vec<SimpleExpr>) = pairs
                    .into_iter()
                    .map(|(c, v)| (Alias::new(c), SimpleExpr::Value(v)))
                    .unzip();
                let mut insert = Query::insert();
                insert
                    .into_table(Alias::new("custom_fields"))
                    .columns(columns)
                    .values(values)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .returning_col(Alias::new("id"));
                let id = conn.fetch_i64(&insert).await?;
                conn.audit(
                    &AuditEntry {
                        record_id: id,
                        ..entry
                    },
                    now,
                )
                .await?;
                Ok(Some(id))
            })
            .await?;
        outcome.ok_or(CustomFieldRefusal::TooMany)
    }

    /// Replaces a definition's settings if `expected_version` is current.
    pub async fn update_custom_field(
        &self,
        before: &CustomField,
        expected_version: i64,
        valid: &ValidDraft,
        limit: usize,
        entry: AuditEntry,
    ) -> Result<(), CustomFieldRefusal> {
        let now = now_micros();
        let unarchiving = before.archived && !valid.draft.archived;
        let done = self
            .write(async |conn| {
                if unarchiving && active_count(conn, &before.record_type).await? >= limit as i64 {
                    return Ok(false);
                }
                let mut update = Query::update();
                update.table(Alias::new("custom_fields"));
                for (column, value) in settings(valid) {
                    update.value(Alias::new(column), value);
                }
                update
                    .value(
                        Alias::new("version"),
                        Expr::col(Alias::new("version")).add(1),
                    )
                    .value(Alias::new("updated_at"), now)
                    .and_where(Expr::col(Alias::new("id")).eq(before.id))
                    .and_where(Expr::col(Alias::new("version")).eq(expected_version));
                if conn.execute(&update).await? == 0 {
                    return Err(StoreError::StaleVersion);
                }
                conn.audit(&entry, now).await?;
                Ok(true)
            })
            .await?;
        if done {
            Ok(())
        } else {
            Err(CustomFieldRefusal::TooMany)
        }
    }
}

/// Rewrites the comparable copies of one record's custom values, inside its write.
pub(crate) async fn write_values(
    conn: &mut Conn<'_>,
    record_type: &str,
    record_id: i64,
    values: &CustomValues,
    replacing: bool,
) -> Result<(), StoreError> {
    if replacing {
        let mut field_ids = Query::select();
        field_ids
            .column(Alias::new("id"))
            .from(Alias::new("custom_fields"))
            .and_where(Expr::col(Alias::new("record_type")).eq(record_type));
        let mut delete = Query::delete();
        delete
            .from_table(Alias::new("custom_values"))
            .and_where(Expr::col(Alias::new("field_id")).in_subquery(field_ids))
            .and_where(Expr::col(Alias::new("record_id")).eq(record_id));
        conn.queue(&delete).await?;
    }
    if values.is_empty() {
        return Ok(());
    }
    let fields = kind_fields(conn, record_type).await?;
    let rows = value_rows(&fields, record_id, values);
    insert_value_rows(conn, &rows).await
}

/// Every custom field of a record kind, archived ones included (their values stay).
pub(crate) async fn kind_fields(
    conn: &mut Conn<'_>,
    record_type: &str,
) -> Result<Vec<CustomField>, StoreError> {
    let mut select = select_fields();
    select.and_where(Expr::col(Alias::new("record_type")).eq(record_type));
    conn.fetch_all(&select).await?.iter().map(read).collect()
}

/// The `custom_values` rows of one record's values: `(field_id, record_id, v_text, v_num)`,
/// one per comparable value (several for a multi-choice).
pub(crate) fn value_rows(
    fields: &[CustomField],
    record_id: i64,
    values: &CustomValues,
) -> Vec<[sea_query::Value; 4]> {
    let mut rows = Vec::new();
    for field in fields {
        let Some(value) = values.get(&field.key) else {
            continue;
        };
        for comparable in field.comparables(value) {
            let (text, number) = match comparable {
                Comparable::Text(t) => (Some(t), None),
                Comparable::Number(n) => (None, Some(n)),
            };
            rows.push([
                field.id.into(),
                record_id.into(),
                text.into(),
                number.into(),
            ]);
        }
    }
    rows
}

/// Inserts `custom_values` rows, many per statement.
pub(crate) async fn insert_value_rows(
    conn: &mut Conn<'_>,
    rows: &[[sea_query::Value; 4]],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(crate::bulk::rows_per_statement(4)) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("custom_values"))
            .columns(["field_id", "record_id", "v_text", "v_num"].map(Alias::new));
        for row in chunk {
            insert
                .values(row.iter().cloned().map(Expr::val))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
        conn.queue(&insert).await?;
    }
    Ok(())
}
