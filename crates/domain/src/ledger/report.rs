//! What the ledger reports: a statement's running balance (ekstre) and aging at a date.

use super::LedgerEntry;
use jiff::civil::Date;

/// One line of a statement: the entry and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub entry: LedgerEntry,
    pub balance: i64,
}

/// A statement (ekstre) of one account for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub from: Date,
    pub to: Date,
    pub currency: String,
    /// The balance before `from` (Devir).
    pub opening: i64,
    pub lines: Vec<StatementLine>,
    pub total_debit: i64,
    pub total_credit: i64,
    pub closing: i64,
}

impl Statement {
    /// The statement of `entries` (of the period, oldest first) after `opening`; `None`
    /// when a sum leaves the range of an `i64`.
    pub fn build(
        from: Date,
        to: Date,
        currency: &str,
        opening: i64,
        entries: Vec<LedgerEntry>,
    ) -> Option<Statement> {
        let mut balance = opening;
        let (mut total_debit, mut total_credit) = (0i64, 0i64);
        let mut lines = Vec::with_capacity(entries.len());
        for entry in entries {
            balance = balance
                .checked_add(entry.debit)?
                .checked_sub(entry.credit)?;
            total_debit = total_debit.checked_add(entry.debit)?;
            total_credit = total_credit.checked_add(entry.credit)?;
            lines.push(StatementLine { entry, balance });
        }
        Some(Statement {
            from,
            to,
            currency: currency.to_string(),
            opening,
            lines,
            total_debit,
            total_credit,
            closing: balance,
        })
    }
}

/// Which side a balance is on, as a statement marks it: (B) borçlu, the customer owes;
/// (A) alacaklı, the business owes the customer. Zero carries no mark.
pub fn balance_side(balance: i64) -> &'static str {
    match balance.signum() {
        1 => "B",
        -1 => "A",
        _ => "",
    }
}

/// An aging column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgingBucket {
    NotDue,
    Days0To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl AgingBucket {
    /// The column of an invoice due on `due` as of `as_of`: due today or later is not yet
    /// due; one day late and up to 30 is the first column.
    pub fn of(due: Date, as_of: Date) -> AgingBucket {
        // Kept in step with `earliest_due`, which a report summing in SQL uses instead.
        let late = (as_of - due).get_days();
        match late {
            i32::MIN..=0 => AgingBucket::NotDue,
            1..=30 => AgingBucket::Days0To30,
            31..=60 => AgingBucket::Days31To60,
            61..=90 => AgingBucket::Days61To90,
            _ => AgingBucket::Over90,
        }
    }

    /// The columns as ranges of due dates at `as_of`, for a report that sums them in the
    /// database: each column but the last with the earliest due date in it, latest first.
    /// An invoice due before the last of these is over 90 days late.
    pub fn earliest_due(as_of: Date) -> [(AgingBucket, Date); 4] {
        let back = |days: i64| as_of.saturating_sub(jiff::Span::new().days(days));
        [
            (AgingBucket::NotDue, as_of),
            (AgingBucket::Days0To30, back(30)),
            (AgingBucket::Days31To60, back(60)),
            (AgingBucket::Days61To90, back(90)),
        ]
    }
}

/// One customer's aging in one currency. `unallocated` is the credit on the account that
/// is set against no invoice (payments not allocated, credit notes), negative like every
/// credit; the columns add up to `balance`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aging {
    pub not_due: i64,
    pub days_0_30: i64,
    pub days_31_60: i64,
    pub days_61_90: i64,
    pub days_over_90: i64,
    pub unallocated: i64,
}

impl Aging {
    /// Adds an invoice's open amount to its column.
    pub fn add_open(&mut self, bucket: AgingBucket, open: i64) {
        let column = match bucket {
            AgingBucket::NotDue => &mut self.not_due,
            AgingBucket::Days0To30 => &mut self.days_0_30,
            AgingBucket::Days31To60 => &mut self.days_31_60,
            AgingBucket::Days61To90 => &mut self.days_61_90,
            AgingBucket::Over90 => &mut self.days_over_90,
        };
        *column = column.saturating_add(open);
    }

    /// What is overdue: every column past the due date.
    pub fn overdue(&self) -> i64 {
        self.days_0_30
            .saturating_add(self.days_31_60)
            .saturating_add(self.days_61_90)
            .saturating_add(self.days_over_90)
    }

    /// The sum of the columns.
    pub fn balance(&self) -> i64 {
        self.not_due
            .saturating_add(self.overdue())
            .saturating_add(self.unallocated)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::ids::CompanyId;
    use crate::ledger::{Account, EntryKind};
    use jiff::civil::date;

    #[test]
    fn the_columns_as_due_date_ranges_agree_with_the_column_of_each_invoice() {
        let as_of = date(2026, 3, 1);
        let bounds = AgingBucket::earliest_due(as_of);
        for back in -5..200 {
            let due = as_of.saturating_sub(jiff::Span::new().days(back));
            let by_range = bounds
                .iter()
                .find(|(_, earliest)| due >= *earliest)
                .map_or(AgingBucket::Over90, |(bucket, _)| *bucket);
            assert_eq!(by_range, AgingBucket::of(due, as_of), "{back} days late");
        }
    }

    #[test]
    fn aging_columns_start_the_day_after_the_due_date() {
        let due = date(2026, 1, 31);
        assert_eq!(AgingBucket::of(due, date(2026, 1, 31)), AgingBucket::NotDue);
        assert_eq!(
            AgingBucket::of(due, date(2026, 2, 1)),
            AgingBucket::Days0To30
        );
        assert_eq!(
            AgingBucket::of(due, date(2026, 3, 2)),
            AgingBucket::Days0To30
        );
        assert_eq!(
            AgingBucket::of(due, date(2026, 3, 3)),
            AgingBucket::Days31To60
        );
        assert_eq!(
            AgingBucket::of(due, date(2026, 5, 1)),
            AgingBucket::Days61To90
        );
        assert_eq!(AgingBucket::of(due, date(2026, 5, 2)), AgingBucket::Over90);
        let mut aging = Aging::default();
        aging.add_open(AgingBucket::Over90, 100);
        aging.add_open(AgingBucket::NotDue, 40);
        aging.unallocated = -30;
        assert_eq!(aging.overdue(), 100);
        assert_eq!(aging.balance(), 110);
    }

    #[test]
    fn a_statement_runs_its_balance_from_the_opening() {
        let entry = |debit, credit| LedgerEntry {
            id: 1,
            account: Account::Company(CompanyId(1)),
            currency: "TRY".into(),
            date: date(2026, 2, 1),
            kind: EntryKind::Invoice,
            document: "FTR-2026-000001".into(),
            description: String::new(),
            due_date: None,
            debit,
            credit,
            invoice_id: None,
            payment_id: None,
        };
        let statement = Statement::build(
            date(2026, 2, 1),
            date(2026, 2, 28),
            "TRY",
            1_000,
            vec![entry(5_000, 0), entry(0, 7_000)],
        )
        .unwrap();
        let balances: Vec<i64> = statement.lines.iter().map(|l| l.balance).collect();
        assert_eq!(balances, vec![6_000, -1_000]);
        assert_eq!(statement.closing, -1_000);
        assert_eq!(
            (statement.total_debit, statement.total_credit),
            (5_000, 7_000)
        );
        assert_eq!(balance_side(statement.closing), "A");
        assert_eq!(balance_side(6_000), "B");
        assert_eq!(balance_side(0), "");
        assert!(
            Statement::build(
                date(2026, 1, 1),
                date(2026, 1, 1),
                "TRY",
                i64::MAX,
                vec![entry(1, 0)]
            )
            .is_none()
        );
    }

    proptest::proptest! {
        #[test]
        fn opening_plus_the_entries_is_the_closing_balance(
            opening in -1_000_000_000i64..1_000_000_000,
            moves in proptest::collection::vec((0i64..1_000_000_000, 0i64..1_000_000_000), 0..60),
        ) {
            let entries: Vec<LedgerEntry> = moves
                .iter()
                .enumerate()
                .map(|(i, (debit, credit))| LedgerEntry {
                    id: i as i64,
                    account: Account::Company(CompanyId(1)),
                    currency: "TRY".into(),
                    date: date(2026, 1, 1),
                    kind: EntryKind::Adjustment,
                    document: String::new(),
                    description: String::new(),
                    due_date: None,
                    debit: *debit,
                    credit: *credit,
                    invoice_id: None,
                    payment_id: None,
                })
                .collect();
            let s = Statement::build(date(2026, 1, 1), date(2026, 1, 31), "TRY", opening, entries).unwrap();
            proptest::prop_assert_eq!(s.closing, opening + s.total_debit - s.total_credit);
            let mut running = opening;
            for line in &s.lines {
                running += line.entry.debit - line.entry.credit;
                proptest::prop_assert_eq!(line.balance, running);
            }
        }
    }
}
