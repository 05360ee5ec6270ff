//! Record kinds as the store sees them: a kind declares its table, how one record is read
//! from a row, and every column it writes, once ([`StoredKind`]); get, list, count, create,
//! update with its version check, soft delete and restore, visibility checks and bulk loading
//! are written here once for every kind.
//!
//! Every read takes the caller's [`Visibility`] and goes through the scope filter; nothing
//! here decides who may do what (the services do).

use crate::audit::AuditEntry;
use crate::custom_fields;
use crate::listing::{
    ListAsk, ListTable, Page, PageRequest, PartyFilter, PartySort, SortDirection, page_of,
};
use crate::scope::scope_condition;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use rehber_domain::Kind;
use rehber_domain::access::Visibility;
use rehber_domain::party::Ownership;
use rehber_domain::validate::text::search_key;
use sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr, Value};

/// A column value a record takes from another table, looked up inside the writing
/// transaction: the folded `name` of the row `id` of `table` (a person is found by the name
/// of their company).
pub struct FoldedName {
    pub column: &'static str,
    pub table: &'static str,
    pub id: Option<i64>,
}

/// A copy of a record's value that other records keep, brought up to date when the record
/// changes: `table.column = value WHERE table.foreign_key = <the record's id>`.
pub struct Copied {
    pub table: &'static str,
    pub column: &'static str,
    pub foreign_key: &'static str,
    pub value: String,
}

/// How a record kind is stored, beside what the domain says of it ([`Kind`]). Implemented
/// once per kind; the store's generic operations ([`Store::insert`], [`crate::Scoped::get`],
/// [`crate::Scoped::list`], …) do the rest.
pub trait StoredKind: Kind {
    /// The table, its search index and its tag table.
    const TABLE: ListTable;
    /// The SQL expressions a record is read from (`people.id, people.first_name, …`):
    /// everything [`Self::read`] reads, and `id`, `sort_key`, `created_at`, `updated_at`
    /// for the list position.
    const COLUMNS: &'static str;

    /// One record from a row of [`Self::COLUMNS`].
    fn read(row: &Row) -> Result<Self::Record, StoreError>;

    /// Every content column and its value: what create, update and bulk loading write. The
    /// derived keys (sort, search, city) are computed here from the same helpers everywhere.
    fn values(fields: &Self::Fields, ownership: Ownership) -> Vec<(&'static str, Value)>;

    /// Values taken from other tables.
    fn folded_names(_fields: &Self::Fields) -> Vec<FoldedName> {
        Vec::new()
    }

    /// Copies of this record's values that other records keep.
    fn copies(_fields: &Self::Fields) -> Vec<Copied> {
        Vec::new()
    }
}

fn col(table: &str, name: &str) -> SimpleExpr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// Lists of `(column, value)` pairs as sea-query wants them.
pub(crate) fn split(pairs: Vec<(&'static str, Value)>) -> (Vec<Alias>, Vec<SimpleExpr>) {
    pairs
        .into_iter()
        .map(|(column, value)| (Alias::new(column), SimpleExpr::Value(value)))
        .unzip()
}

/// Resolves a kind's folded-name lookups inside the transaction.
async fn lookups<K: StoredKind>(
    conn: &mut Conn<'_>,
    fields: &K::Fields,
) -> Result<Vec<(&'static str, Value)>, StoreError> {
    let mut out = Vec::new();
    for lookup in K::folded_names(fields) {
        let name = match lookup.id {
            Some(id) => {
                let mut select = Query::select();
                select
                    .column(Alias::new("name"))
                    .from(Alias::new(lookup.table))
                    .and_where(Expr::col(Alias::new("id")).eq(id));
                let rows = conn.fetch_all(&select).await?;
                match rows.first() {
                    Some(row) => search_key(&row.get::<String>("name")?),
                    None => String::new(),
                }
            }
            None => String::new(),
        };
        out.push((lookup.column, name.into()));
    }
    Ok(out)
}

/// Replaces a record's rows in its kind's tag table.
async fn replace_tags<K: StoredKind>(
    conn: &mut Conn<'_>,
    id: i64,
    tags: &[String],
) -> Result<(), StoreError> {
    let t = K::TABLE;
    let mut delete = Query::delete();
    delete
        .from_table(Alias::new(t.tag_table))
        .and_where(Expr::col(Alias::new(t.tag_key)).eq(id));
    conn.queue(&delete).await?;
    insert_tags::<K>(conn, id, tags).await
}

/// Adds a record's rows to its kind's tag table (a new record has none to replace).
async fn insert_tags<K: StoredKind>(
    conn: &mut Conn<'_>,
    id: i64,
    tags: &[String],
) -> Result<(), StoreError> {
    if tags.is_empty() {
        return Ok(());
    }
    let t = K::TABLE;
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(t.tag_table))
        .columns([Alias::new("tag"), Alias::new(t.tag_key)]);
    for tag in tags {
        insert
            .values([rehber_domain::party::tag_key(tag).into(), id.into()])
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }
    conn.queue(&insert).await
}

impl Store {
    /// Inserts a record and its "created" audit entry (whose `record_id` is filled in).
    pub async fn insert<K: StoredKind>(
        &self,
        fields: &K::Fields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<K::Id, StoreError> {
        let now = now_micros();
        let id = self
            .write(async |conn| {
                let mut pairs = K::values(fields, ownership);
                pairs.extend(lookups::<K>(conn, fields).await?);
                pairs.extend([
                    ("version", 1i64.into()),
                    ("created_at", now.into()),
                    ("updated_at", now.into()),
                ]);
                let (columns, values) = split(pairs);
                let mut insert = Query::insert();
                insert
                    .into_table(Alias::new(K::TABLE.table))
                    .columns(columns)
                    .values(values)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .returning_col(Alias::new("id"));
                let id = conn.fetch_i64(&insert).await?;
                insert_tags::<K>(conn, id, K::tags(fields)).await?;
                custom_fields::write_values(conn, K::TYPE, id, K::custom(fields), false).await?;
                conn.audit(
                    &AuditEntry {
                        record_id: id,
                        ..entry
                    },
                    now,
                )
                .await?;
                Ok(id)
            })
            .await?;
        Ok(K::id(id))
    }

    /// Replaces a live record's content if `expected_version` is current (else
    /// [`StoreError::StaleVersion`]); bumps the version and appends the entry.
    pub async fn update<K: StoredKind>(
        &self,
        id: K::Id,
        expected_version: i64,
        fields: &K::Fields,
        ownership: Ownership,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            replace_content::<K>(conn, K::raw(id), expected_version, (fields, ownership), now)
                .await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Moves a record to the trash (`deleted`) or back, bumping its version; appends the
    /// entry. A record already where it is asked to go is [`StoreError::NotFound`].
    pub async fn set_deleted<K: StoredKind>(
        &self,
        id: K::Id,
        deleted: bool,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        let table = K::TABLE.table;
        self.write(async |conn| {
            let mut update = Query::update();
            update
                .table(Alias::new(table))
                .value(
                    Alias::new("deleted_at"),
                    if deleted { Some(now) } else { None },
                )
                .value(Alias::new("updated_at"), now)
                .value(Alias::new("version"), col(table, "version").add(1))
                .and_where(col(table, "id").eq(K::raw(id)));
            update.and_where(if deleted {
                col(table, "deleted_at").is_null()
            } else {
                col(table, "deleted_at").is_not_null()
            });
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Moves a live row of `table` (an activity, a task) to the trash, bumping its version,
    /// and appends the entry; [`StoreError::NotFound`] when there is none.
    pub(crate) async fn trash_row(
        &self,
        table: &'static str,
        id: i64,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut update = Query::update();
            update
                .table(Alias::new(table))
                .value(Alias::new("deleted_at"), now)
                .value(Alias::new("updated_at"), now)
                .value(Alias::new("version"), col(table, "version").add(1))
                .and_where(col(table, "id").eq(id))
                .and_where(col(table, "deleted_at").is_null());
            if conn.execute(&update).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }

    /// One record the visibility allows (a deleted one only when `include_deleted`).
    pub(crate) async fn get<K: StoredKind>(
        &self,
        visibility: Visibility,
        id: K::Id,
        include_deleted: bool,
    ) -> Result<K::Record, StoreError> {
        let table = K::TABLE.table;
        let mut select = Query::select();
        select
            .expr(Expr::cust(K::COLUMNS))
            .from(Alias::new(table))
            .and_where(col(table, "id").eq(K::raw(id)))
            .cond_where(scope_condition(table, visibility));
        if !include_deleted {
            select.and_where(col(table, "deleted_at").is_null());
        }
        let rows = self.fetch_rows(&select).await?;
        match rows.first() {
            Some(row) => K::read(row),
            None => Err(StoreError::NotFound),
        }
    }

    /// The live ones of `ids` the visibility allows, in no set order.
    pub(crate) async fn get_many<K: StoredKind>(
        &self,
        visibility: Visibility,
        ids: &[i64],
    ) -> Result<Vec<K::Record>, StoreError> {
        let table = K::TABLE.table;
        let mut records = Vec::with_capacity(ids.len());
        // In slices, so that no statement carries more values than a database takes.
        for slice in ids.chunks(500) {
            let mut select = Query::select();
            select
                .expr(Expr::cust(K::COLUMNS))
                .from(Alias::new(table))
                .and_where(col(table, "id").is_in(slice.iter().copied()))
                .and_where(col(table, "deleted_at").is_null())
                .cond_where(scope_condition(table, visibility));
            for row in self.fetch_rows(&select).await? {
                records.push(K::read(&row)?);
            }
        }
        Ok(records)
    }

    /// One page of the records the visibility allows, filtered, sorted and keyset-paginated.
    pub(crate) async fn list<K: StoredKind>(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        sort: PartySort,
        direction: SortDirection,
        page: &PageRequest,
    ) -> Result<Page<K::Record>, StoreError> {
        let ask = ListAsk {
            visibility,
            filter,
            dense: &[],
            sort,
            direction,
            page,
        };
        let rows = self.fetch_list(&K::TABLE, K::COLUMNS, ask).await?;
        page_of(rows, page.limit, sort, K::read)
    }

    /// How many records match, counted up to `cap`.
    pub(crate) async fn count<K: StoredKind>(
        &self,
        visibility: Visibility,
        filter: &PartyFilter,
        cap: u32,
    ) -> Result<i64, StoreError> {
        self.count_matching(&K::TABLE, visibility, filter, cap)
            .await
    }

    /// The ones of `ids` that are live and visible (for bulk actions).
    pub(crate) async fn visible<K: StoredKind>(
        &self,
        visibility: Visibility,
        ids: &[K::Id],
    ) -> Result<Vec<K::Id>, StoreError> {
        let raw: Vec<i64> = ids.iter().map(|id| K::raw(*id)).collect();
        Ok(self
            .visible_ids(&K::TABLE, visibility, &raw)
            .await?
            .into_iter()
            .map(K::id)
            .collect())
    }
}

/// The columns a record's content determines that nothing else writes: what
/// [`Store::refresh_derived`] brings up to date after a release changes how they are made.
const DERIVED: [&str; 4] = ["sort_key", "search_key", "city_key", "name_key"];

/// Records per transaction of [`Store::refresh_derived`].
const REFRESH_BATCH: u64 = 500;

impl Store {
    /// Recomputes the derived keys (sort, search, city) of every record of a kind, deleted
    /// ones included, in batches, writing only the rows whose keys changed; the full-text
    /// index follows through its triggers. Returns how many rows it rewrote. Nothing else of
    /// a record changes: not its version, its times or its audit trail.
    pub async fn refresh_derived<K: StoredKind>(&self) -> Result<u64, StoreError> {
        let table = K::TABLE.table;
        // Only people and companies have a similar-name key.
        let name_keys = matches!(table, "people" | "companies");
        let mut after = 0i64;
        let mut rewritten = 0u64;
        loop {
            let mut select = Query::select();
            select
                .expr(Expr::cust(K::COLUMNS))
                .expr_as(col(table, "search_key"), Alias::new("stored_search_key"))
                .from(Alias::new(table))
                .and_where(col(table, "id").gt(after))
                .order_by((Alias::new(table), Alias::new("id")), sea_query::Order::Asc)
                .limit(REFRESH_BATCH);
            if name_keys {
                select.expr_as(col(table, "name_key"), Alias::new("stored_name_key"));
            }
            let rows = self.fetch_rows(&select).await?;
            let Some(last) = rows.last() else {
                return Ok(rewritten);
            };
            after = last.get("id")?;
            let mut updates = Vec::new();
            for row in &rows {
                let record = K::read(row)?;
                let values = K::values(K::fields(&record), K::ownership(&record));
                let fresh: Vec<(&'static str, Value)> = values
                    .into_iter()
                    .filter(|(column, _)| DERIVED.contains(column))
                    .collect();
                // The search, sort and name keys are read back to compare (the city key
                // follows the city, which the search key already covers).
                let same = |column: &str, stored: Value| {
                    fresh
                        .iter()
                        .find(|(c, _)| *c == column)
                        .is_none_or(|(_, v)| *v == stored)
                };
                let text = |stored: String| Value::from(stored);
                if same("search_key", text(row.get("stored_search_key")?))
                    && same("sort_key", text(row.get("sort_key")?))
                    && (!name_keys
                        || same(
                            "name_key",
                            Value::from(row.get::<Option<String>>("stored_name_key")?),
                        ))
                {
                    continue;
                }
                let mut update = Query::update();
                update.table(Alias::new(table));
                for (column, value) in fresh {
                    update.value(Alias::new(column), value);
                }
                update.and_where(col(table, "id").eq(K::raw(K::record_id(&record))));
                updates.push(update);
            }
            if !updates.is_empty() {
                rewritten += updates.len() as u64;
                self.write(async |conn| {
                    for update in &updates {
                        conn.execute(update).await?;
                    }
                    Ok(())
                })
                .await?;
            }
        }
    }
}

/// Replaces a live record's content if `expected_version` is current (else
/// [`StoreError::StaleVersion`]), bumping the version: the row, its tags, its custom values
/// and the copies other tables keep of it. Inside a write of the caller's.
pub(crate) async fn replace_content<K: StoredKind>(
    conn: &mut Conn<'_>,
    raw: i64,
    expected_version: i64,
    (fields, ownership): (&K::Fields, Ownership),
    now: i64,
) -> Result<(), StoreError> {
    let table = K::TABLE.table;
    let mut pairs = K::values(fields, ownership);
    pairs.extend(lookups::<K>(conn, fields).await?);
    let mut update = Query::update();
    update.table(Alias::new(table));
    for (column, value) in pairs {
        update.value(Alias::new(column), value);
    }
    update
        .value(Alias::new("version"), col(table, "version").add(1))
        .value(Alias::new("updated_at"), now)
        .and_where(col(table, "id").eq(raw))
        .and_where(col(table, "version").eq(expected_version))
        .and_where(col(table, "deleted_at").is_null());
    if conn.execute(&update).await? == 0 {
        return Err(StoreError::StaleVersion);
    }
    replace_tags::<K>(conn, raw, K::tags(fields)).await?;
    custom_fields::write_values(conn, K::TYPE, raw, K::custom(fields), true).await?;
    for copy in K::copies(fields) {
        // Only the rows whose copy differs, so a save that keeps the value writes none.
        let mut cascade = Query::update();
        cascade
            .table(Alias::new(copy.table))
            .value(Alias::new(copy.column), copy.value.clone())
            .and_where(col(copy.table, copy.foreign_key).eq(raw))
            .and_where(col(copy.table, copy.column).ne(copy.value));
        conn.queue(&cascade).await?;
    }
    Ok(())
}
