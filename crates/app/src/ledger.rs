//! The customer ledger as use cases: taking a payment (tahsilat) for a customer the caller
//! can see, the statement (ekstre) of an account, aging, an account's summary for its
//! page, and the lock date that closes periods.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::invoices::typed_date;
use jiff::civil::Date;
use rehber_domain::error::FieldErrors;
use rehber_domain::ledger::{
    Account, MAX_LEDGER_AMOUNT, MAX_REFERENCE, Payment, PaymentMethod, Statement,
};
use rehber_domain::money::Money;
use rehber_domain::party::{Companies, People};
use rehber_domain::{Actor, CompanyId, Error, PersonId};
use rehber_store::{
    AgingRow, AllocationPlan, AuditChange, AuditEntry, MAX_STATEMENT_ENTRIES, PaymentContent,
    StoreError,
};
use serde_json::Value;

/// The most invoices one payment is allocated to by hand.
pub const MAX_ALLOCATIONS: usize = 500;

/// The setting that holds the lock date.
const LOCK_DATE: &str = "ledger.lock_date";

/// A payment as typed (the API body, the "Tahsilat al" form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentDraft {
    pub company_id: Option<i64>,
    pub person_id: Option<i64>,
    /// The amount as typed (`1250,50`), in `currency`; or `amount_minor`.
    pub amount: String,
    pub amount_minor: Option<i64>,
    /// ISO 4217; empty is TRY.
    pub currency: String,
    /// `cash`, `transfer`, `card`, `cheque`, `promissory_note` or `offset`.
    pub method: String,
    /// `YYYY-MM-DD`; empty is today.
    pub received_at: String,
    pub reference: String,
    /// A cheque's or senet's due date.
    pub due_date: String,
    pub notes: String,
    /// `None`: the oldest due first. Each is an invoice and an amount in minor units.
    pub allocations: Option<Vec<(i64, i64)>>,
}

/// What a customer's page shows of one currency of their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBalance {
    pub currency: String,
    /// Positive: the customer owes.
    pub balance: i64,
    pub overdue: i64,
    pub unallocated: i64,
}

/// The summary of a customer's account: balances per currency and the last payment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountSummary {
    pub balances: Vec<AccountBalance>,
    pub last_payment: Option<Payment>,
}

/// A page of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementPage {
    pub statement: Statement,
    /// Give it back for the next page; `None` on the last.
    pub next_cursor: Option<String>,
}

/// `<entry date>.<entry id>` of the last entry of the page before.
fn parse_statement_cursor(text: &str) -> Option<(Date, i64)> {
    let (day, id) = text.split_once('.')?;
    Some((day.parse().ok()?, id.parse().ok()?))
}

impl App {
    /// The account of a customer the actor can see (the company, else the person); a
    /// customer out of view is [`Error::NotFound`].
    pub async fn customer_account(
        &self,
        actor: &Actor,
        company_id: Option<i64>,
        person_id: Option<i64>,
    ) -> AppResult<Account> {
        let scoped = self.store.scoped(actor);
        match (company_id, person_id) {
            (Some(id), _) => {
                scoped.get::<Companies>(CompanyId(id)).await?;
                Ok(Account::Company(CompanyId(id)))
            }
            (None, Some(id)) => {
                scoped.get::<People>(PersonId(id)).await?;
                Ok(Account::Person(PersonId(id)))
            }
            (None, None) => Err(Error::field("company_id", "invalid-invoice-customer").into()),
        }
    }

    /// The last day of the closed periods, if an administrator set one.
    pub async fn lock_date(&self) -> AppResult<Option<Date>> {
        Ok(self
            .store
            .setting(LOCK_DATE)
            .await?
            .and_then(|v| v.as_str().and_then(|t| t.parse().ok())))
    }

    /// Sets or clears the lock date (administrators).
    pub async fn set_lock_date(
        &self,
        actor: &Actor,
        typed: Option<&str>,
    ) -> AppResult<Option<Date>> {
        if !actor.role.is_admin() {
            return Err(Error::Forbidden.into());
        }
        let date = match typed.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(text) => Some(
                text.parse::<Date>()
                    .map_err(|_| Error::field("lock_date", "invalid-date"))?,
            ),
        };
        let before = self.lock_date().await?;
        let show = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        self.put_audited_setting(
            actor,
            crate::audit::SettingChange {
                key: LOCK_DATE,
                value: date.map_or(Value::Null, |d| Value::from(d.to_string())),
                field: "lock_date",
                from: show(before),
                to: show(date),
            },
        )
        .await?;
        Ok(date)
    }

    /// Refuses an entry dated `day` when it falls in a closed period.
    pub(crate) async fn check_open_period(&self, day: Date, field: &str) -> AppResult<()> {
        match self.lock_date().await? {
            Some(lock) if day <= lock => Err(Error::field(field, "invalid-period-locked").into()),
            _ => Ok(()),
        }
    }

    /// Checks a payment as typed; every refusal at once.
    async fn payment_content(
        &self,
        actor: &Actor,
        draft: &PaymentDraft,
    ) -> AppResult<(PaymentContent, AllocationPlan)> {
        let mut errors = FieldErrors::new();
        let account = match self
            .customer_account(actor, draft.company_id, draft.person_id)
            .await
        {
            Ok(account) => Some(account),
            Err(crate::AppError::Domain(Error::NotFound)) => {
                let field = if draft.company_id.is_some() {
                    "company_id"
                } else {
                    "person_id"
                };
                errors.add(field, "invalid-unknown-record");
                None
            }
            Err(crate::AppError::Domain(Error::Validation(more))) => {
                errors.0.extend(more.0);
                None
            }
            Err(other) => return Err(other),
        };
        let currency = crate::pricing::check_currency(&draft.currency, &mut errors);
        let amount = match (draft.amount_minor, draft.amount.trim()) {
            (Some(minor), _) => Some(minor),
            (None, "") => {
                errors.add("amount", "invalid-required");
                None
            }
            (None, typed) => match Money::parse(typed, &currency) {
                Ok(money) => Some(money.minor),
                Err(_) => {
                    errors.add("amount", "invalid-amount");
                    None
                }
            },
        };
        if amount.is_some_and(|a| a <= 0) {
            errors.add("amount", "invalid-amount-positive");
        } else if amount.is_some_and(|a| a > MAX_LEDGER_AMOUNT) {
            errors.add("amount", "invalid-amount-too-large");
        }
        let method = PaymentMethod::parse(&draft.method);
        if method.is_none() {
            errors.add("method", "invalid-choice");
        }
        let today = self.today();
        let received_at = typed_date(&draft.received_at, "received_at", today, &mut errors);
        if received_at > today {
            errors.add("received_at", "invalid-date-future");
        }
        let due_date = match draft.due_date.trim() {
            "" => None,
            _ => Some(typed_date(&draft.due_date, "due_date", today, &mut errors)),
        };
        let reference = draft.reference.trim().to_string();
        if reference.chars().count() > MAX_REFERENCE {
            errors.add("reference", "invalid-too-long");
        }
        let notes = draft.notes.trim().to_string();
        if notes.chars().count() > crate::quotes::MAX_TERMS {
            errors.add("notes", "invalid-too-long");
        }
        if let Some(allocations) = &draft.allocations {
            if allocations.len() > MAX_ALLOCATIONS {
                errors.add("allocations", "invalid-too-many-allocations");
            }
            for (index, (_, part)) in allocations.iter().enumerate().take(MAX_ALLOCATIONS) {
                if *part <= 0 {
                    errors.add(
                        format!("allocations/{index}/amount"),
                        "invalid-amount-positive",
                    );
                } else if *part > MAX_LEDGER_AMOUNT {
                    errors.add(
                        format!("allocations/{index}/amount"),
                        "invalid-amount-too-large",
                    );
                }
            }
        }
        errors.into_result()?;
        let (Some(account), Some(amount), Some(method)) = (account, amount, method) else {
            return Err(Error::field("amount", "invalid-required").into());
        };
        self.check_open_period(received_at, "received_at").await?;
        let plan = match &draft.allocations {
            None => AllocationPlan::OldestFirst,
            Some(parts) => AllocationPlan::Given(parts.clone()),
        };
        Ok((
            PaymentContent {
                account,
                currency,
                amount,
                method,
                received_at,
                reference,
                due_date,
                notes,
            },
            plan,
        ))
    }

    /// Records a payment collected by the actor: allocated by hand, or to the oldest due
    /// invoices first; what is left stays on the account as credit.
    pub async fn record_payment(&self, actor: &Actor, draft: &PaymentDraft) -> AppResult<Payment> {
        Self::may_write_ledger(actor)?;
        let (content, plan) = self.payment_content(actor, draft).await?;
        let entry = AuditEntry {
            actor: Some(actor.user_id),
            record_type: "payment",
            record_id: 0,
            action: "create",
            changes: vec![AuditChange {
                field: "amount".into(),
                from: String::new(),
                to: format!("{} {}", content.amount, content.currency),
            }],
        };
        let id = self
            .store
            .insert_payment(&content, &plan, Some(actor.user_id), self.today(), entry)
            .await?;
        Ok(self.store.unscoped().payment(id).await?)
    }

    /// One payment the actor can see, with its allocations.
    pub async fn payment(&self, actor: &Actor, id: i64) -> AppResult<Payment> {
        Self::may_read_ledger(actor)?;
        Ok(self.store.scoped(actor).payment(id).await?)
    }

    /// The statement of `account` in `currency` from `from` to `to`, whole (for files and
    /// pages that show a period at once): refused past `MAX_STATEMENT_ENTRIES`.
    pub async fn statement(
        &self,
        actor: &Actor,
        account: Account,
        currency: &str,
        from: Date,
        to: Date,
    ) -> AppResult<Statement> {
        let page = self
            .statement_page(
                actor,
                account,
                currency,
                (from, to),
                None,
                MAX_STATEMENT_ENTRIES,
            )
            .await?;
        if page.next_cursor.is_some() {
            return Err(Error::field("from", "invalid-statement-too-long").into());
        }
        Ok(page.statement)
    }

    /// A page of at most `limit` entries of the statement of `account` from `from` to
    /// `to`, after the entry `cursor` names (the `next_cursor` of the page before). Each
    /// page brings forward the balance before its first entry and closes with the balance
    /// after its last, so the last page closes the period.
    pub async fn statement_page(
        &self,
        actor: &Actor,
        account: Account,
        currency: &str,
        (from, to): (Date, Date),
        cursor: Option<&str>,
        limit: u32,
    ) -> AppResult<StatementPage> {
        Self::may_read_ledger(actor)?;
        if to < from {
            return Err(Error::field("to", "invalid-range").into());
        }
        let after = crate::read_cursor(cursor, parse_statement_cursor)?;
        if after.is_some_and(|(day, _)| day < from || day > to) {
            return Err(Error::field("cursor", "invalid-cursor").into());
        }
        let limit = limit.clamp(1, MAX_STATEMENT_ENTRIES);
        let (opening, mut entries) = self
            .store
            .scoped(actor)
            .ledger(account, currency, (from, to), after, limit)
            .await?;
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let next_cursor = entries
            .last()
            .filter(|_| more)
            .map(|last| format!("{}.{}", last.date, last.id));
        let statement =
            Statement::build(from, to, currency, opening, entries).ok_or_else(|| {
                AppError::from(StoreError::Corrupt(
                    "a ledger balance leaves the range of an i64".into(),
                ))
            })?;
        Ok(StatementPage {
            statement,
            next_cursor,
        })
    }

    /// The TRY balance and overdue part of the listed customers `ids` the actor may see
    /// (a people or company list's columns), by id.
    pub async fn receivables(
        &self,
        actor: &Actor,
        kind: rehber_domain::access::RecordKind,
        ids: &[i64],
    ) -> AppResult<std::collections::HashMap<i64, (i64, i64)>> {
        Ok(self.store.scoped(actor).receivables(kind, ids).await?)
    }

    /// Aging at `as_of` of one account or of every account the actor can see. Support
    /// agents and marketers see it too: it holds balances, not documents.
    pub async fn aging(
        &self,
        actor: &Actor,
        as_of: Date,
        account: Option<Account>,
    ) -> AppResult<Vec<AgingRow>> {
        Ok(self.store.scoped(actor).aging(as_of, account).await?)
    }

    /// What a customer's page shows of their account: balance, overdue and unallocated
    /// credit per currency today, and the last payment (for those who may read payments).
    pub async fn account_summary(
        &self,
        actor: &Actor,
        account: Account,
    ) -> AppResult<AccountSummary> {
        let rows = self.aging(actor, self.today(), Some(account)).await?;
        let balances = rows
            .into_iter()
            .map(|row| AccountBalance {
                currency: row.currency,
                balance: row.balance,
                overdue: row.aging.overdue(),
                unallocated: row.aging.unallocated,
            })
            .collect();
        let last_payment = if Self::may_read_ledger(actor).is_ok() {
            self.store.scoped(actor).payments(account, 1).await?.pop()
        } else {
            None
        };
        Ok(AccountSummary {
            balances,
            last_payment,
        })
    }
}
