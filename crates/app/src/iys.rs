//! Handing commercial permissions to İYS, for administrators: the answers still pending,
//! each with the last business day İYS accepts it; the bulk file to upload (CSV or XLSX,
//! in İYS's own columns), written to the audit log like every export and kept (which
//! answers it held); and marking the answers of a downloaded file as sent once it is
//! uploaded. The religious holidays that move each
//! year are an organisation setting (the rules: `rehber_domain::iys`).

use crate::App;
use crate::audit::SettingChange;
use crate::error::{AppError, AppResult};
use crate::export::exported_entry;
use crate::privacy::admins_only;
use jiff::civil::Date;
use rehber_domain::iys::{IYS_FILE_HEADER, IysLine, iys_deadline, parse_holidays, turkish_date};
use rehber_domain::validate::Phone;
use rehber_domain::{Actor, Error};
use rehber_sheets::{Cell, CsvProfile, Table};
use rehber_store::{AuditChange, AuditEntry, MAX_IYS_PENDING, PendingIys};
use serde_json::Value;

/// The setting that lists the extra holidays (dates as `YYYY-MM-DD`).
const HOLIDAYS_SETTING: &str = "iys.holidays";

/// A pending answer and when İYS must have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IysItem {
    pub consent: PendingIys,
    /// The last day İYS accepts it.
    pub deadline: Date,
    /// The deadline has passed: İYS refuses the answer now, and the person must be asked
    /// again.
    pub overdue: bool,
}

/// The answers still to hand over, oldest recorded first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IysQueue {
    pub items: Vec<IysItem>,
    /// The highest id listed: marking "sent through it" marks exactly these answers.
    pub through_id: Option<i64>,
    /// More answers are pending than one list holds.
    pub truncated: bool,
}

/// The formats of the bulk file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IysFormat {
    Csv,
    Xlsx,
}

impl IysFormat {
    /// `csv` or `xlsx`.
    pub fn parse(text: &str) -> Option<IysFormat> {
        match text {
            "csv" => Some(IysFormat::Csv),
            "xlsx" => Some(IysFormat::Xlsx),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IysFormat::Csv => "csv",
            IysFormat::Xlsx => "xlsx",
        }
    }
}

/// A bulk file ready to download.
#[derive(Debug, Clone)]
pub struct IysFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub rows: usize,
    pub through_id: Option<i64>,
    /// The file as kept: marking it marks exactly its answers.
    pub file_id: i64,
}

/// The file's table: a validated phone keeps its `+`; typed text cannot run as a formula.
fn table(items: &[IysItem]) -> Table {
    let rows = items
        .iter()
        .map(|item| {
            let c = &item.consent;
            let line = IysLine::new(c.channel, c.status, &c.source, &c.address, c.given_at);
            let [channel, source, recipient, status, date, recipient_type] =
                line.cells().map(str::to_string);
            let recipient = match Phone::parse(&recipient) {
                Ok(_) => Cell::Verbatim(recipient),
                Err(_) => Cell::Text(recipient),
            };
            vec![
                Cell::Text(channel),
                Cell::Text(source),
                recipient,
                Cell::Text(status),
                Cell::Text(date),
                Cell::Text(recipient_type),
            ]
        })
        .collect();
    Table {
        name: "IYS".into(),
        header: IYS_FILE_HEADER.map(str::to_string).to_vec(),
        rows,
        bold_rows: Vec::new(),
    }
}

impl App {
    /// The extra holidays an administrator listed, in order (administrators).
    pub async fn iys_holidays(&self, actor: &Actor) -> AppResult<Vec<Date>> {
        admins_only(actor)?;
        self.listed_holidays().await
    }

    async fn listed_holidays(&self) -> AppResult<Vec<Date>> {
        let listed = self.store.setting(HOLIDAYS_SETTING).await?;
        let text = match listed {
            Some(Value::String(text)) => text,
            _ => String::new(),
        };
        Ok(parse_holidays(&text).unwrap_or_default())
    }

    /// Lists the extra holidays (administrators); `text` holds dates as `YYYY-MM-DD`.
    pub async fn set_iys_holidays(&self, actor: &Actor, text: &str) -> AppResult<Vec<Date>> {
        admins_only(actor)?;
        let days = parse_holidays(text)?;
        let spelled = |days: &[Date]| {
            days.iter()
                .map(Date::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let before = spelled(&self.listed_holidays().await?);
        self.put_audited_setting(
            actor,
            SettingChange {
                key: HOLIDAYS_SETTING,
                value: Value::String(spelled(&days)),
                field: "iys_holidays",
                from: before,
                to: spelled(&days),
            },
        )
        .await?;
        Ok(days)
    }

    /// The commercial answers not yet handed to İYS (administrators).
    pub async fn iys_pending(&self, actor: &Actor) -> AppResult<IysQueue> {
        admins_only(actor)?;
        let holidays = self.listed_holidays().await?;
        let today = self.today();
        let pending = self
            .store
            .scoped(actor)
            .iys_pending(MAX_IYS_PENDING + 1)
            .await?;
        let truncated = pending.len() as u64 > MAX_IYS_PENDING;
        let items: Vec<IysItem> = pending
            .into_iter()
            .take(MAX_IYS_PENDING as usize)
            .map(|consent| {
                let deadline = iys_deadline(turkish_date(consent.given_at), &holidays);
                IysItem {
                    overdue: deadline < today,
                    deadline,
                    consent,
                }
            })
            .collect();
        Ok(IysQueue {
            through_id: items.iter().map(|i| i.consent.id).max(),
            items,
            truncated,
        })
    }

    /// The bulk file of the pending answers (administrators), the oldest given first so İYS
    /// reads each address's answers in order; written to the audit log.
    pub async fn iys_file(&self, actor: &Actor, format: IysFormat) -> AppResult<IysFile> {
        let mut queue = self.iys_pending(actor).await?;
        queue
            .items
            .sort_by_key(|i| (i.consent.given_at, i.consent.id));
        let table = table(&queue.items);
        let bytes = match format {
            IysFormat::Csv => rehber_sheets::to_csv(&table, CsvProfile::Standard),
            IysFormat::Xlsx => rehber_sheets::to_xlsx(&table),
        }
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let entry = exported_entry(
            actor,
            "consent",
            vec![
                ("export_format", format!("iys {}", format.as_str())),
                ("export_rows", queue.items.len().to_string()),
            ],
        );
        let held: Vec<i64> = queue.items.iter().map(|i| i.consent.id).collect();
        let file_id = self
            .store
            .record_iys_file(format.as_str(), actor.user_id, &held)
            .await?;
        self.store.append_audit(&entry).await?;
        Ok(IysFile {
            name: format!("iys-{}.{}", self.today(), format.as_str()),
            bytes,
            rows: queue.items.len(),
            through_id: queue.through_id,
            file_id,
        })
    }

    /// Marks the pending answers up to `through_id` that a downloaded file held as uploaded
    /// to İYS (administrators); how many were marked. An answer recorded after the file was
    /// made stays pending, even when the list was drawn again since.
    pub async fn mark_iys_sent(&self, actor: &Actor, through_id: i64) -> AppResult<u64> {
        self.mark_iys(actor, (Some(through_id), None), format!("#{through_id}"))
            .await
    }

    /// Marks the pending answers downloaded file `file_id` held as uploaded to İYS
    /// (administrators); how many were marked (none when it was marked before).
    pub async fn mark_iys_file_sent(&self, actor: &Actor, file_id: i64) -> AppResult<u64> {
        self.mark_iys(actor, (None, Some(file_id)), format!("file {file_id}"))
            .await
    }

    async fn mark_iys(
        &self,
        actor: &Actor,
        which: (Option<i64>, Option<i64>),
        named: String,
    ) -> AppResult<u64> {
        admins_only(actor)?;
        let marked = self
            .store
            .mark_iys_sent(which, actor.user_id, |count| AuditEntry {
                actor: Some(actor.user_id),
                record_type: "consent",
                record_id: 0,
                action: "iys_sent",
                changes: vec![AuditChange {
                    field: "iys_sent".into(),
                    from: String::new(),
                    to: format!("{count} ({named})"),
                }],
            })
            .await?;
        marked.ok_or_else(|| Error::NotFound.into())
    }
}
