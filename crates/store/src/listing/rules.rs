//! A list's filter ([`PartyFilter`]: shorthand fields, a rule, the search and the trash
//! flag) and its translation into SQL: the caller's scope first, then every test of the
//! rule, each on its column, tag table or custom-value index.

use super::custom::custom_condition;
use super::{ListTable, placeholder};
use crate::Backend;
use crate::scope::scope_condition;
use rehber_domain::access::Visibility;
use rehber_domain::custom::Comparable;
use rehber_domain::filter::{Condition, Rule, Test};
use rehber_domain::party::LifecycleStage;
use rehber_domain::validate::text::search_key;
use rehber_domain::{CompanyId, TeamId, UserId};
use sea_query::{Alias, Cond, Expr, ExprTrait, SimpleExpr};

/// Filters of a people or company list. `company` applies to people only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartyFilter {
    /// Free text: names, e-mails, phones (and company names for people), Turkish-aware.
    pub q: Option<String>,
    pub owner: Option<UserId>,
    pub team: Option<TeamId>,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub tag: Option<String>,
    pub city: Option<String>,
    /// Created at or after (UTC microseconds).
    pub created_from: Option<i64>,
    /// Created before (UTC microseconds).
    pub created_to: Option<i64>,
    pub company: Option<CompanyId>,
    /// Deals of this pipeline.
    pub pipeline: Option<i64>,
    /// Deals in this stage.
    pub stage: Option<i64>,
    /// List the deleted records (the trash) instead of the live ones.
    pub deleted: bool,
    /// A rule over any of the kind's fields, built-in or custom, that must hold too.
    pub rule: Option<Rule>,
}

impl PartyFilter {
    /// The shorthand fields as tests (each must hold unless a caller joins them otherwise).
    pub fn shorthand(&self) -> Vec<Condition> {
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let city = self
            .city
            .as_deref()
            .map(search_key)
            .filter(|c| !c.is_empty());
        [
            self.owner.map(Condition::Owner),
            self.team.map(Condition::Team),
            self.lifecycle_stage.map(Condition::LifecycleStage),
            city.map(|c| Condition::City(Test::Equals(Comparable::Text(c)))),
            text(&self.tag).map(|t| Condition::Tag(rehber_domain::party::tag_key(&t))),
            self.created_from.map(Condition::CreatedFrom),
            self.created_to.map(Condition::CreatedBefore),
            self.company.map(Condition::Company),
            self.pipeline.map(Condition::Pipeline),
            self.stage.map(Condition::Stage),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Takes the shorthand fields out as tests, leaving the search, the trash flag and the
    /// rule.
    pub fn take_shorthand(&mut self) -> Vec<Condition> {
        let tests = self.shorthand();
        *self = PartyFilter {
            q: self.q.take(),
            deleted: self.deleted,
            rule: self.rule.take(),
            ..PartyFilter::default()
        };
        tests
    }

    /// The whole filter as one rule: the shorthand fields (each a test that must hold) and
    /// the rule. `None` when nothing narrows the list.
    pub fn as_rule(&self) -> Option<Rule> {
        Rule::all(
            self.shorthand()
                .into_iter()
                .map(Rule::Test)
                .chain(self.rule.clone()),
        )
    }
}

/// The scope and the filters of a list, without its search.
pub(crate) fn filter_conditions(
    backend: Backend,
    t: &ListTable,
    visibility: Visibility,
    filter: &PartyFilter,
    dense: &[bool],
) -> Cond {
    let col = |name: &str| Expr::col((Alias::new(t.table), Alias::new(name)));
    let cond = Cond::all().add(scope_condition(t.table, visibility));
    let cond = if filter.deleted {
        cond.add(col("deleted_at").is_not_null())
    } else {
        cond.add(col("deleted_at").is_null())
    };
    match filter.as_rule() {
        Some(rule) => {
            let mut dense = dense.iter().copied();
            cond.add(rule_condition(backend, t, &rule, &mut dense))
        }
        None => cond,
    }
}

/// A rule in SQL: groups as AND/OR, each test on its column, tag table or value index.
fn rule_condition(
    backend: Backend,
    t: &ListTable,
    rule: &Rule,
    dense: &mut impl Iterator<Item = bool>,
) -> Cond {
    match rule {
        Rule::All(items) | Rule::Any(items) => {
            let group = if matches!(rule, Rule::All(_)) {
                Cond::all()
            } else {
                Cond::any()
            };
            items.iter().fold(group, |group, item| {
                group.add(rule_condition(backend, t, item, dense))
            })
        }
        Rule::Not(item) => rule_condition(backend, t, item, dense).not(),
        Rule::Test(condition) => Cond::all().add(test_condition(backend, t, condition, dense)),
    }
}

/// One test in SQL.
fn test_condition(
    backend: Backend,
    t: &ListTable,
    condition: &Condition,
    dense: &mut impl Iterator<Item = bool>,
) -> SimpleExpr {
    let col = |name: &str| Expr::col((Alias::new(t.table), Alias::new(name)));
    match condition {
        Condition::Name(keys) => col("sort_key").is_in(keys.iter().map(String::as_str)),
        Condition::Owner(owner) => col("owner_id").eq(owner.0),
        Condition::Team(team) => col("team_id").eq(team.0),
        Condition::LifecycleStage(stage) => col("lifecycle_stage").eq(stage.as_str()),
        Condition::City(test) => text_test(col("city_key"), test),
        Condition::Tag(tag) => Expr::cust_with_values(
            format!(
                "{}.id IN (SELECT {} FROM {} WHERE tag = {})",
                t.table,
                t.tag_key,
                t.tag_table,
                placeholder(backend)
            ),
            [tag.clone()],
        ),
        Condition::CreatedFrom(from) => col("created_at").gte(*from),
        Condition::CreatedBefore(to) => col("created_at").lt(*to),
        Condition::Company(company) => col("company_id").eq(company.0),
        Condition::CompanyEmpty(true) => col("company_id").is_null(),
        Condition::CompanyEmpty(false) => col("company_id").is_not_null(),
        Condition::Pipeline(pipeline) => col("pipeline_id").eq(*pipeline),
        Condition::Stage(stage) => col("stage_id").eq(*stage),
        Condition::Balance(test) => amount_test(col("balance_minor"), test),
        Condition::Overdue(test) => amount_test(col("overdue_minor"), test),
        Condition::Custom { field_id, test } => {
            custom_condition(t.table, *field_id, test, dense.next().unwrap_or(false))
        }
    }
}

/// A test on a column of whole minor units (a balance): at least or at most an amount.
fn amount_test(column: SimpleExpr, test: &Test) -> SimpleExpr {
    let minor = |c: &Comparable| match c {
        Comparable::Number(n) => *n as i64,
        Comparable::Text(t) => t.parse().unwrap_or(0),
    };
    match test {
        Test::AtLeast(c) => column.gte(minor(c)),
        Test::AtMost(c) => column.lte(minor(c)),
        Test::Equals(c) => column.eq(minor(c)),
        Test::Empty(true) => column.eq(0),
        Test::Empty(false) | Test::Contains(_) => column.ne(0),
    }
}

/// A test on a folded text column (whose "no value" is the empty text).
fn text_test(column: SimpleExpr, test: &Test) -> SimpleExpr {
    let text = |c: &Comparable| match c {
        Comparable::Text(t) => t.clone(),
        Comparable::Number(n) => n.to_string(),
    };
    match test {
        Test::Equals(c) => column.eq(text(c)),
        // Folded text (`search_key`) holds only letters, digits and spaces: no LIKE wildcard.
        Test::Contains(words) => column.like(format!("%{words}%")),
        Test::AtLeast(c) => column.gte(text(c)),
        Test::AtMost(c) => column.lte(text(c)),
        Test::Empty(true) => column.eq(""),
        Test::Empty(false) => column.ne(""),
    }
}
