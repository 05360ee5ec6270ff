//! The duplicate keys of people and companies (`contact_keys`, kept by the database's
//! triggers): which live record already holds one of a record's keys.

use crate::{Store, StoreError};
use rehber_domain::party::MatchKey;
use sea_query::{Alias, Expr, ExprTrait, Order, Query};

impl Store {
    /// The first live record of `record_type` (`person` or `company`) other than `except`
    /// holding one of `keys`, with the key it holds. Not through a scope: a record nobody
    /// in the caller's view owns is still the same customer.
    pub async fn find_by_keys(
        &self,
        record_type: &'static str,
        keys: &[MatchKey],
        except: Option<i64>,
    ) -> Result<Option<(i64, MatchKey)>, StoreError> {
        if keys.is_empty() {
            return Ok(None);
        }
        let table = match record_type {
            "person" => "people",
            _ => "companies",
        };
        let key = |c: &str| Expr::col((Alias::new("contact_keys"), Alias::new(c)));
        let mut select = Query::select();
        select
            .column((Alias::new("contact_keys"), Alias::new("record_id")))
            .column((Alias::new("contact_keys"), Alias::new("key")))
            .from(Alias::new("contact_keys"))
            .inner_join(
                Alias::new(table),
                Expr::col((Alias::new(table), Alias::new("id")))
                    .equals((Alias::new("contact_keys"), Alias::new("record_id"))),
            )
            .and_where(key("record_type").eq(record_type))
            .and_where(key("key").is_in(keys.iter().map(|k| k.as_str().to_string())))
            .and_where(Expr::col((Alias::new(table), Alias::new("deleted_at"))).is_null())
            .order_by(
                (Alias::new("contact_keys"), Alias::new("record_id")),
                Order::Asc,
            )
            .limit(1);
        if let Some(except) = except {
            select.and_where(key("record_id").ne(except));
        }
        let rows = self.fetch_rows(&select).await?;
        rows.first()
            .map(|row| Ok((row.get("record_id")?, MatchKey::stored(row.get("key")?))))
            .transpose()
    }
}

/// The condition that leaves out a pair `a`, `b` that may never be merged: two national
/// IDs, or two companies' tax numbers, that differ (different legal persons; see
/// `rehber_app::merge`). A comparison with a missing number is not true, so it keeps them.
fn never_merged(table: &str) -> String {
    let differ = match table {
        "companies" => "x.tax_number <> y.tax_number OR x.national_id <> y.national_id",
        _ => "x.national_id <> y.national_id",
    };
    format!(
        "NOT EXISTS (SELECT 1 FROM {table} x, {table} y WHERE x.id = a.record_id \
         AND y.id = b.record_id AND ({differ}))"
    )
}

/// Two live records of a kind that share keys, by id (`a` < `b`), with the fields they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedKeys {
    pub a: i64,
    pub b: i64,
    /// `emails`, `phones`, `national_id`, `tax_number`, `name`: each once.
    pub fields: Vec<&'static str>,
}

impl crate::Scoped<'_> {
    /// Pairs of live records of `record_type` the caller may both see that share a key and
    /// may be merged (see [`never_merged`]), by the lower id then the higher, after the pair `after`; at most `limit` pairs.
    pub async fn shared_keys(
        &self,
        record_type: &'static str,
        after: Option<(i64, i64)>,
        limit: u64,
    ) -> Result<Vec<SharedKeys>, StoreError> {
        use rehber_domain::access::RecordKind;
        let (table, kind) = match record_type {
            "person" => ("people", RecordKind::Person),
            _ => ("companies", RecordKind::Company),
        };
        let side = |alias: &str| {
            let mut live = Query::select();
            live.expr(Expr::val(1))
                .from(Alias::new(table))
                .and_where(
                    Expr::col((Alias::new(table), Alias::new("id")))
                        .equals((Alias::new(alias), Alias::new("record_id"))),
                )
                .and_where(Expr::col((Alias::new(table), Alias::new("deleted_at"))).is_null())
                .cond_where(crate::scope::scope_condition(
                    table,
                    self.visibility_of(kind),
                ));
            Expr::exists(live)
        };
        let col = |alias: &str, c: &str| Expr::col((Alias::new(alias), Alias::new(c)));
        let row_limit = limit * 5 + 1;
        let mut select = Query::select();
        select
            .expr_as(col("a", "record_id"), Alias::new("a_id"))
            .expr_as(col("b", "record_id"), Alias::new("b_id"))
            .expr_as(col("a", "key"), Alias::new("key"))
            .from_as(Alias::new("contact_keys"), Alias::new("a"))
            .join_as(
                sea_query::JoinType::InnerJoin,
                Alias::new("contact_keys"),
                Alias::new("b"),
                sea_query::Cond::all()
                    .add(col("b", "key").equals((Alias::new("a"), Alias::new("key"))))
                    .add(
                        col("b", "record_type")
                            .equals((Alias::new("a"), Alias::new("record_type"))),
                    )
                    .add(col("b", "record_id").gt(col("a", "record_id"))),
            )
            .and_where(col("a", "record_type").eq(record_type))
            .and_where(side("a"))
            .and_where(side("b"))
            .and_where(Expr::cust(never_merged(table)))
            .order_by(Alias::new("a_id"), Order::Asc)
            .order_by(Alias::new("b_id"), Order::Asc)
            // Enough key rows for `limit` pairs sharing every kind of key.
            .limit(row_limit);
        if let Some((a, b)) = after {
            select.cond_where(
                sea_query::Cond::any().add(col("a", "record_id").gt(a)).add(
                    sea_query::Cond::all()
                        .add(col("a", "record_id").eq(a))
                        .add(col("b", "record_id").gt(b)),
                ),
            );
        }
        let rows = self.store().fetch_rows(&select).await?;
        let cut = rows.len() as u64 == row_limit;
        let mut pairs: Vec<SharedKeys> = Vec::new();
        for row in rows {
            let (a, b): (i64, i64) = (row.get("a_id")?, row.get("b_id")?);
            let field = MatchKey::stored(row.get("key")?).field();
            match pairs.last_mut() {
                Some(last) if (last.a, last.b) == (a, b) => {
                    if !last.fields.contains(&field) {
                        last.fields.push(field);
                    }
                }
                _ => pairs.push(SharedKeys {
                    a,
                    b,
                    fields: vec![field],
                }),
            }
        }
        // The last pair may have been cut short by the row limit: it comes again, whole,
        // on the next page.
        if cut && pairs.len() > 1 {
            pairs.pop();
        }
        pairs.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(pairs)
    }
}
