//! Data-subject requests (KVKK article 11): the requests an administrator ran for a person
//! (an export of what Rehber holds, an erasure), when each is due, and what an export
//! contains: every row of every kind that concerns the person, read as JSON.

use crate::{Store, StoreError, now_micros, on_pool, on_writer};
use serde::Serialize;

/// Days within which a request must be answered (KVKK article 13).
pub const DATA_REQUEST_DAYS: i64 = 30;

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DataRequest {
    pub id: i64,
    pub person_id: i64,
    /// `access` (an export) or `erasure`.
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub requested_by: Option<i64>,
    pub requested_at: i64,
    pub due_at: i64,
    pub job_id: Option<i64>,
    /// The export's ZIP in the file store (gone once the person is erased).
    pub file_key: Option<String>,
    pub file_size: Option<i64>,
    pub finished_at: Option<i64>,
    pub failure: Option<String>,
}

const COLUMNS: &str = "id, person_id, kind, status, requested_by, requested_at, due_at, job_id, \
     file_key, file_size, finished_at, failure";

/// One kind of row an export holds: its name in the archive and where its rows are.
struct Section {
    name: &'static str,
    table: &'static str,
    /// The rows of the person's records, `{ids}` standing for their ids.
    filter: &'static str,
}

/// What an export of a person holds, kind by kind.
const SECTIONS: [Section; 16] = [
    Section {
        name: "kisi",
        table: "people",
        filter: "id IN ({ids})",
    },
    Section {
        name: "etiketler",
        table: "person_tags",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "ozel_alanlar",
        table: "custom_values",
        filter: "record_id IN ({ids}) AND field_id IN (SELECT id FROM custom_fields WHERE record_type = 'person')",
    },
    Section {
        name: "ozel_alan_tanimlari",
        table: "custom_fields",
        filter: "record_type = 'person' AND id IN (SELECT field_id FROM custom_values WHERE record_id IN ({ids}))",
    },
    Section {
        name: "etkinlikler",
        table: "activities",
        filter: "id IN (SELECT activity_id FROM activity_links WHERE record_type = 'person' AND record_id IN ({ids}))",
    },
    Section {
        name: "gorevler",
        table: "tasks",
        filter: "id IN (SELECT task_id FROM task_links WHERE record_type = 'person' AND record_id IN ({ids}))",
    },
    Section {
        name: "yorumlar",
        table: "comments",
        filter: "record_type = 'person' AND record_id IN ({ids})",
    },
    Section {
        name: "ekler",
        table: "attachments",
        filter: "record_type = 'person' AND record_id IN ({ids}) AND deleted_at IS NULL",
    },
    Section {
        name: "firsatlar",
        table: "deals",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "teklifler",
        table: "quotes",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "siparisler",
        table: "orders",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "faturalar",
        table: "invoices",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "tahsilatlar",
        table: "payments",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "cari_hareketler",
        table: "ledger_entries",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "izinler",
        table: "consents",
        filter: "person_id IN ({ids})",
    },
    Section {
        name: "denetim_kaydi",
        table: "audit_events",
        filter: "record_type = 'person' AND record_id IN ({ids})",
    },
];

/// Columns an export leaves out: folded copies for sorting and search, not data.
const DERIVED: [&str; 6] = [
    "sort_key",
    "name_key",
    "search_key",
    "search_text",
    "search_tsv",
    "city_key",
];

impl Store {
    /// Records an export request for `person`, waiting for its job.
    pub async fn create_data_request(
        &self,
        person: i64,
        requested_by: Option<i64>,
    ) -> Result<DataRequest, StoreError> {
        let now = now_micros();
        let due = now + DATA_REQUEST_DAYS * 86_400_000_000;
        let sql = format!(
            "INSERT INTO data_requests (person_id, kind, status, requested_by, requested_at, due_at) \
             VALUES ($1, 'access', 'queued', $2, $3, $4) RETURNING {COLUMNS}"
        );
        Ok(on_writer!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(person)
                .bind(requested_by)
                .bind(now)
                .bind(due)
                .fetch_one(pool)
                .await?
        }))
    }

    /// A request by its id.
    pub async fn data_request(&self, id: i64) -> Result<DataRequest, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM data_requests WHERE id = $1");
        on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
        })
    }

    /// The latest requests (of one person, or of everyone), newest first.
    pub async fn data_requests(
        &self,
        person: Option<i64>,
        limit: i64,
    ) -> Result<Vec<DataRequest>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM data_requests WHERE ($1 IS NULL OR person_id = $1) ORDER BY id DESC LIMIT $2"
        );
        Ok(on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(person)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Moves a request on: the job that answers it, running, done with its file, failed.
    pub async fn update_data_request(
        &self,
        id: i64,
        change: DataRequestChange<'_>,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        on_writer!(self, pool => {
            let query = match change {
                DataRequestChange::Queued(job) => {
                    sqlx::query("UPDATE data_requests SET job_id = $2 WHERE id = $1").bind(id).bind(job)
                }
                DataRequestChange::Running => {
                    sqlx::query("UPDATE data_requests SET status = 'running' WHERE id = $1").bind(id)
                }
                DataRequestChange::Done { file_key, size } => sqlx::query(
                    "UPDATE data_requests SET status = 'done', file_key = $2, file_size = $3, \
                     finished_at = $4, failure = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(file_key)
                .bind(size)
                .bind(now),
                DataRequestChange::Failed(message) => sqlx::query(
                    "UPDATE data_requests SET status = 'failed', failure = $2, finished_at = $3 WHERE id = $1",
                )
                .bind(id)
                .bind(message)
                .bind(now),
            };
            query.execute(pool).await?;
        });
        Ok(())
    }

    /// Every row that concerns `people` (a person and the records merged into them), kind
    /// by kind, each row a JSON object of its columns.
    pub async fn person_dossier(
        &self,
        people: &[i64],
    ) -> Result<Vec<(&'static str, Vec<serde_json::Value>)>, StoreError> {
        let ids = people
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = Vec::new();
        for section in &SECTIONS {
            let filter = section.filter.replace("{ids}", &ids);
            let rows: Vec<String> = match self {
                Store::Sqlite(db) => {
                    let columns: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                            .bind(section.table)
                            .fetch_all(db.pool())
                            .await?;
                    let object = columns
                        .iter()
                        .filter(|c| !DERIVED.contains(&c.as_str()))
                        .map(|c| format!("'{c}', \"{c}\""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "SELECT json_object({object}) FROM {} WHERE {filter} ORDER BY rowid",
                        section.table
                    );
                    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                        .fetch_all(db.pool())
                        .await?
                }
                Store::Postgres(pool) => {
                    let without: String = DERIVED.iter().map(|c| format!(" - '{c}'")).collect();
                    let sql = format!(
                        "SELECT (to_jsonb(t){without})::text FROM {} t WHERE {filter} ORDER BY 1",
                        section.table
                    );
                    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                        .fetch_all(pool)
                        .await?
                }
            };
            let rows = rows
                .iter()
                .map(|r| serde_json::from_str(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push((section.name, rows));
        }
        Ok(out)
    }
}

/// A step of a request.
#[derive(Debug, Clone, Copy)]
pub enum DataRequestChange<'a> {
    Queued(i64),
    Running,
    Done { file_key: &'a str, size: i64 },
    Failed(&'a str),
}
