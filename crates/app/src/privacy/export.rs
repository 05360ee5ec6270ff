//! The export of everything Rehber holds about a person (KVKK article 11, the right of
//! access), as a job: one ZIP with `kisi.json` (every row, kind by kind), a CSV per kind,
//! the person's attached files under `ekler/`, and a read-me in Turkish and English. The
//! request is answered when the job is done; the ZIP is kept in the file store until the
//! person is erased.

use super::admins_only;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::jobs::{JobFailure, Schedule};
use bytes::Bytes;
use futures_util::TryStreamExt;
use futures_util::stream::BoxStream;
use rehber_domain::party::People;
use rehber_domain::{Actor, Error, PersonId};
use rehber_files::FilesError;
use rehber_sheets::{Cell, CsvProfile, Table, to_csv};
use rehber_store::{DataRequest, DataRequestChange};
use serde_json::{Value, json};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// The job kind of an export.
pub const DATA_EXPORT: &str = "privacy.data_export";

/// The largest export kept (the person's attachments are in it).
const MAX_EXPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// An export's ZIP, as it streams.
pub struct DataExportFile {
    pub name: String,
    pub bytes: BoxStream<'static, Result<Bytes, FilesError>>,
}

const README: &str = "\
REHBER — KİŞİSEL VERİ DÖKÜMÜ (KVKK madde 11)

Bu arşiv, Rehber'in aşağıdaki kişi hakkında tuttuğu bütün kayıtları içerir.

- kisi.json: bütün kayıtlar, türlerine göre, sütunlarıyla birlikte.
- *.csv: her kayıt türü ayrı bir tablo (UTF-8; ilk satır sütun adlarıdır).
    kisi: kişi kaydı · etiketler · ozel_alanlar ve ozel_alan_tanimlari: özel alanlar
    etkinlikler: aramalar, toplantılar, ziyaretler, notlar · gorevler · yorumlar
    ekler: ekli dosyaların bilgisi (dosyaların kendisi ekler/ klasöründedir)
    firsatlar · teklifler · siparisler · faturalar · tahsilatlar · cari_hareketler
    izinler: ticari ileti ve KVKK açık rıza kayıtları
    denetim_kaydi: kişi kaydında kim, ne zaman, neyi değiştirdi
- ekler/: kişiye eklenmiş dosyalar.

Zamanlar UTC, Unix zamanından bu yana mikrosaniye; tutarlar kuruş (en küçük birim)
cinsindendir. Bu dökümü isteyen kişiye güvenli bir yoldan iletin; başvurunun 30 gün
içinde yanıtlanması gerekir (KVKK madde 13).

---

REHBER — PERSONAL DATA EXPORT (KVKK article 11)

This archive holds every record Rehber keeps about the person named in kisi.json: every
row by kind in kisi.json, one CSV per kind, and their attached files under ekler/. Times
are UTC microseconds since the Unix epoch; amounts are in minor units (kuruş).
";

fn csv_table(name: &str, rows: &[Value]) -> Table {
    let mut header: Vec<String> = Vec::new();
    for row in rows {
        if let Some(object) = row.as_object() {
            for key in object.keys() {
                if !header.contains(key) {
                    header.push(key.clone());
                }
            }
        }
    }
    let cells = rows
        .iter()
        .map(|row| {
            header
                .iter()
                .map(|key| match &row[key] {
                    Value::Null => Cell::Empty,
                    Value::String(text) => Cell::Text(text.clone()),
                    Value::Number(n) => n.as_i64().map_or(Cell::Text(n.to_string()), Cell::Integer),
                    other => Cell::Text(other.to_string()),
                })
                .collect()
        })
        .collect();
    Table {
        name: name.into(),
        header,
        rows: cells,
        bold_rows: Vec::new(),
    }
}

fn zip_error(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("data export archive: {error}"))
}

impl App {
    /// Queues an export of what Rehber holds about `person` (administrators); the request,
    /// to follow until it is done.
    pub async fn request_data_export(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> AppResult<DataRequest> {
        admins_only(actor)?;
        self.store
            .unscoped()
            .get_including_deleted::<People>(person)
            .await?;
        let request = self
            .store
            .create_data_request(person.0, Some(actor.user_id.0))
            .await?;
        let job = self
            .enqueue_job(
                DATA_EXPORT,
                &json!({ "request_id": request.id }),
                Schedule::default(),
            )
            .await?;
        if let Some(job) = job {
            self.store
                .update_data_request(request.id, DataRequestChange::Queued(job))
                .await?;
        }
        Ok(self.store.data_request(request.id).await?)
    }

    /// One request (administrators).
    pub async fn data_request(&self, actor: &Actor, id: i64) -> AppResult<DataRequest> {
        admins_only(actor)?;
        Ok(self.store.data_request(id).await?)
    }

    /// The latest requests, of one person or of everyone (administrators).
    pub async fn data_requests(
        &self,
        actor: &Actor,
        person: Option<PersonId>,
    ) -> AppResult<Vec<DataRequest>> {
        admins_only(actor)?;
        Ok(self.store.data_requests(person.map(|p| p.0), 200).await?)
    }

    /// An answered export's ZIP (administrators); not found until it is done, or once the
    /// person was erased.
    pub async fn data_export_file(&self, actor: &Actor, id: i64) -> AppResult<DataExportFile> {
        let request = self.data_request(actor, id).await?;
        let Some(key) = request.file_key.filter(|_| request.status == "done") else {
            return Err(Error::NotFound.into());
        };
        let bytes = self
            .files
            .get(&key)
            .await
            .map_err(|e| AppError::Internal(format!("data export {id}: {e}")))?;
        Ok(DataExportFile {
            name: format!("kisi-{}-verileri-{id}.zip", request.person_id),
            bytes,
        })
    }

    /// The job: writes the ZIP and answers the request.
    pub(crate) async fn run_data_export(&self, request_id: i64) -> Result<(), JobFailure> {
        let retry = |e: AppError| JobFailure::Retry(e.to_string());
        let request = match self.store.data_request(request_id).await {
            Ok(request) => request,
            Err(rehber_store::StoreError::NotFound) => {
                return Err(JobFailure::Permanent(format!(
                    "no data request {request_id}"
                )));
            }
            Err(e) => return Err(retry(e.into())),
        };
        self.store
            .update_data_request(request_id, DataRequestChange::Running)
            .await
            .map_err(|e| retry(e.into()))?;
        match self.write_data_export(&request).await {
            Ok((key, size)) => self
                .store
                .update_data_request(
                    request_id,
                    DataRequestChange::Done {
                        file_key: &key,
                        size,
                    },
                )
                .await
                .map_err(|e| retry(e.into())),
            Err(error) => {
                let message = error.to_string();
                let _ = self
                    .store
                    .update_data_request(request_id, DataRequestChange::Failed(&message))
                    .await;
                Err(JobFailure::Retry(message))
            }
        }
    }

    async fn write_data_export(&self, request: &DataRequest) -> AppResult<(String, i64)> {
        let people = self.store.merged_into(request.person_id).await?;
        let sections = self.store.person_dossier(&people).await?;
        let mut files = Vec::new();
        for (name, rows) in &sections {
            if *name != "ekler" {
                continue;
            }
            for row in rows {
                let (Some(id), Some(key)) = (row["id"].as_i64(), row["storage_key"].as_str())
                else {
                    continue;
                };
                let filename = row["filename"]
                    .as_str()
                    .unwrap_or("dosya")
                    .replace(['/', '\\'], "_");
                let bytes: Vec<Bytes> = self
                    .files
                    .get(key)
                    .await
                    .map_err(zip_error)?
                    .try_collect()
                    .await
                    .map_err(zip_error)?;
                files.push((format!("ekler/{id}-{filename}"), bytes.concat()));
            }
        }
        let document = json!({
            "person_id": request.person_id,
            "records": people,
            "generated_at": crate::now().to_string(),
            "request_id": request.id,
            "data": sections.iter().map(|(name, rows)| (name.to_string(), Value::from(rows.clone()))).collect::<serde_json::Map<_, _>>(),
        });
        let archive = tokio::task::spawn_blocking(move || -> AppResult<Vec<u8>> {
            let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("BENİOKU.txt", options).map_err(zip_error)?;
            zip.write_all(README.as_bytes()).map_err(zip_error)?;
            zip.start_file("kisi.json", options).map_err(zip_error)?;
            let text = serde_json::to_vec_pretty(&document).map_err(zip_error)?;
            zip.write_all(&text).map_err(zip_error)?;
            for (name, rows) in &sections {
                if rows.is_empty() {
                    continue;
                }
                let csv =
                    to_csv(&csv_table(name, rows), CsvProfile::Standard).map_err(zip_error)?;
                zip.start_file(format!("{name}.csv"), options)
                    .map_err(zip_error)?;
                zip.write_all(&csv).map_err(zip_error)?;
            }
            for (name, bytes) in &files {
                zip.start_file(name, options).map_err(zip_error)?;
                zip.write_all(bytes).map_err(zip_error)?;
            }
            Ok(zip.finish().map_err(zip_error)?.into_inner())
        })
        .await
        .map_err(zip_error)??;
        let stream =
            futures_util::stream::once(
                async move { Ok::<_, std::io::Error>(Bytes::from(archive)) },
            );
        let stored = self
            .files
            .put(stream, MAX_EXPORT_BYTES)
            .await
            .map_err(zip_error)?;
        Ok((stored.key, stored.size as i64))
    }
}
