//! Lists' custom-field conditions and sorts: a condition goes through the value index
//! (`custom_values (field_id, v_text|v_num, record_id)`), gathering the passing ids when they
//! are few and probing row by row when they are many; a custom sort walks the index joined
//! to the records, then the records without a value.

use super::{
    Cursor, CustomValue, ListAsk, ListTable, PartyFilter, PartySort, SortDirection, matching,
};
use crate::sql::Row;
use crate::{Backend, Store, StoreError};
use rehber_domain::custom::Comparable;
use rehber_domain::filter::{Condition, Test};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement, SimpleExpr};

/// From how many passing values a custom condition is called dense: gathering a few
/// thousand ids is cheaper than probing a page's worth of rows one by one, gathering a
/// hundred thousand is not (see [`custom_condition`]).
const DENSE_VALUES: u64 = 2_000;

/// A list sorted on a custom field: which field, and whether its values are numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomSort {
    pub field_id: i64,
    pub numeric: bool,
}

/// Narrows a selection of `custom_values` to the values that pass `test` (all of the
/// field's values for an emptiness test).
fn value_test(values: &mut SelectStatement, column_of: &str, test: &Test) {
    let column = |c: &Comparable| match c {
        Comparable::Text(_) => Expr::col((Alias::new(column_of), Alias::new("v_text"))),
        Comparable::Number(_) => Expr::col((Alias::new(column_of), Alias::new("v_num"))),
    };
    let value = |c: &Comparable| -> sea_query::Value {
        match c {
            Comparable::Text(t) => t.clone().into(),
            Comparable::Number(n) => (*n).into(),
        }
    };
    match test {
        Test::Equals(c) => {
            values.and_where(column(c).eq(value(c)));
        }
        Test::AtLeast(c) => {
            values.and_where(column(c).gte(value(c)));
        }
        Test::AtMost(c) => {
            values.and_where(column(c).lte(value(c)));
        }
        Test::Contains(words) => {
            // Folded text (`search_key`) holds only letters, digits and spaces: no LIKE wildcard.
            values.and_where(
                Expr::col((Alias::new(column_of), Alias::new("v_text"))).like(format!("%{words}%")),
            );
        }
        Test::Empty(_) => {}
    }
}

/// A custom-field condition through the value index `(field_id, v_text|v_num, record_id)`:
/// a rare one gathers the passing ids (`id IN (…)`), a dense one probes each row
/// (`EXISTS (…)`), so neither a rare nor a common value reads more than it must.
pub(super) fn custom_condition(table: &str, field_id: i64, test: &Test, dense: bool) -> SimpleExpr {
    let id = Expr::col((Alias::new(table), Alias::new("id")));
    let negated = matches!(test, Test::Empty(true));
    if dense {
        let mut probe = Query::select();
        probe
            .expr(Expr::cust("1"))
            .from_as(Alias::new("custom_values"), Alias::new("cv"))
            .and_where(Expr::col((Alias::new("cv"), Alias::new("field_id"))).eq(field_id))
            .and_where(
                Expr::col((Alias::new("cv"), Alias::new("record_id")))
                    .equals((Alias::new(table), Alias::new("id"))),
            );
        value_test(&mut probe, "cv", test);
        let exists = Expr::exists(probe);
        return if negated { exists.not() } else { exists };
    }
    let mut ids = Query::select();
    ids.column(Alias::new("record_id"))
        .from(Alias::new("custom_values"))
        .and_where(Expr::col(Alias::new("field_id")).eq(field_id));
    value_test(&mut ids, "custom_values", test);
    if negated {
        id.not_in_subquery(ids)
    } else {
        id.in_subquery(ids)
    }
}

/// The rows of a list sorted on a custom field, in two walks: first the records with a value,
/// read in the value index's order (`custom_values (field_id, v_…, record_id)` joined to the
/// records, so the first page of a million costs what a page of the index does); then, when
/// the page is not full, the records without one, by id. Records without a value come last
/// in both directions; a cursor in that tail (`id.z`) skips the first walk.
pub(super) async fn fetch_custom_sorted(
    store: &Store,
    t: &ListTable,
    columns: &'static str,
    ask: &ListAsk<'_>,
    custom: CustomSort,
) -> Result<Vec<Row>, StoreError> {
    let backend = store.backend();
    let table = t.table;
    let id_col = Expr::col((Alias::new(table), Alias::new("id")));
    let asc = ask.direction == SortDirection::Asc;
    let order = if asc { Order::Asc } else { Order::Desc };
    let limit = ask.limit();
    let after = ask
        .page
        .after
        .as_deref()
        .and_then(|c| Cursor::decode(PartySort::Custom(custom), c));
    let (value_column, sql_type) = if custom.numeric {
        (
            "v_num",
            if backend == Backend::Postgres {
                "DOUBLE PRECISION"
            } else {
                "REAL"
            },
        )
    } else {
        ("v_text", "TEXT")
    };
    let mut rows = Vec::new();
    let in_tail = matches!(after, Some(Cursor::Custom(None, _)));
    if !in_tail {
        let cv = Alias::new("cv");
        let value = Expr::col((cv.clone(), Alias::new(value_column)));
        let record = Expr::col((cv.clone(), Alias::new("record_id")));
        let mut query = matching(backend, t, ask.visibility, ask.filter, ask.dense);
        query
            .join_as(
                sea_query::JoinType::InnerJoin,
                Alias::new("custom_values"),
                cv.clone(),
                Cond::all()
                    .add(record.clone().equals((Alias::new(table), Alias::new("id"))))
                    .add(Expr::col((cv.clone(), Alias::new("field_id"))).eq(custom.field_id)),
            )
            .expr(Expr::cust(columns))
            .expr_as(value.clone(), Alias::new("custom_sort"));
        if let Some(Cursor::Custom(Some(v), id)) = &after {
            let v: sea_query::Value = match v {
                CustomValue::Text(t) => t.clone().into(),
                CustomValue::Number(n) => (*n).into(),
            };
            let left = Expr::tuple([value.clone(), record.clone()]);
            let right = Expr::tuple([Expr::val(v), Expr::val(*id)]);
            query.and_where(if asc { left.gt(right) } else { left.lt(right) });
        }
        query
            .order_by_expr(value, order.clone())
            .order_by_expr(record, order.clone())
            .limit(limit as u64 + 1);
        rows = store.fetch_rows(&query).await?;
        if rows.len() > limit {
            return Ok(rows);
        }
    }
    let mut without = Query::select();
    without
        .column(Alias::new("record_id"))
        .from(Alias::new("custom_values"))
        .and_where(Expr::col(Alias::new("field_id")).eq(custom.field_id));
    let mut query = matching(backend, t, ask.visibility, ask.filter, ask.dense);
    query
        .expr(Expr::cust(columns))
        .expr_as(
            Expr::cust(format!("CAST(NULL AS {sql_type})")),
            Alias::new("custom_sort"),
        )
        .and_where(id_col.clone().not_in_subquery(without));
    if let Some(Cursor::Custom(None, id)) = after {
        query.and_where(if asc {
            id_col.clone().gt(id)
        } else {
            id_col.clone().lt(id)
        });
    }
    query
        .order_by_expr(id_col, order)
        .limit((limit - rows.len()) as u64 + 1);
    rows.extend(store.fetch_rows(&query).await?);
    Ok(rows)
}

impl Store {
    /// Whether each custom condition of the filter's rule, depth first, is dense: each
    /// counts its passing values up to [`DENSE_VALUES`] in the value index.
    pub(crate) async fn plan_custom(&self, filter: &PartyFilter) -> Result<Vec<bool>, StoreError> {
        let Some(rule) = &filter.rule else {
            return Ok(Vec::new());
        };
        let mut dense = Vec::new();
        for condition in rule.conditions() {
            let Condition::Custom { field_id, test } = condition else {
                continue;
            };
            let mut values = Query::select();
            values
                .expr(Expr::cust("1"))
                .from(Alias::new("custom_values"))
                .and_where(Expr::col(Alias::new("field_id")).eq(*field_id))
                .limit(DENSE_VALUES);
            value_test(&mut values, "custom_values", test);
            let mut count = Query::select();
            count
                .expr(Expr::cust("COUNT(*)"))
                .from_subquery(values, Alias::new("passing"));
            let passing: Vec<i64> = self.fetch_scalars(&count).await?;
            dense.push(passing.first().copied().unwrap_or(0) >= DENSE_VALUES as i64);
        }
        Ok(dense)
    }
}
