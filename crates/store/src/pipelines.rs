//! Sales pipelines and their stages: read all of them in their order, insert one with its
//! stages, replace one's content and stages under its version, delete one. Each write
//! carries its audit entry in the same transaction. Pipelines are configuration every
//! signed-in user reads (a deal names its stage); who may change them is the services' rule.

use crate::audit::AuditEntry;
use crate::codec::timestamp;
use crate::sql::{Conn, Row};
use crate::{Store, StoreError, now_micros};
use rehber_domain::pipeline::{Pipeline, PipelineFields, Stage, StageKind};
use sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SimpleExpr, Value};

fn read_stage(row: &Row) -> Result<(i64, Stage), StoreError> {
    let kind: String = row.get("kind")?;
    let rotting: Option<i64> = row.get("rotting_days")?;
    Ok((
        row.get("pipeline_id")?,
        Stage {
            id: row.get("id")?,
            name: row.get("name")?,
            kind: StageKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("stage kind {kind:?}")))?,
            probability: u8::try_from(row.get::<i64>("probability")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            rotting_days: rotting.and_then(|d| u32::try_from(d).ok()),
            position: row.get("position")?,
        },
    ))
}

fn read_pipeline(row: &Row) -> Result<Pipeline, StoreError> {
    Ok(Pipeline {
        id: row.get("id")?,
        name: row.get("name")?,
        currency: row.get("currency")?,
        position: row.get("position")?,
        stages: Vec::new(),
        version: row.get("version")?,
        created_at: timestamp(row.get("created_at")?)?,
        updated_at: timestamp(row.get("updated_at")?)?,
    })
}

/// Writes `fields`' stages of pipeline `id` in their order: kept ones (with an id) updated,
/// new ones inserted, the others deleted.
async fn write_stages(
    conn: &mut Conn<'_>,
    id: i64,
    fields: &PipelineFields,
) -> Result<(), StoreError> {
    let kept: Vec<i64> = fields.stages.iter().filter_map(|s| s.id).collect();
    let mut delete = Query::delete();
    delete
        .from_table(Alias::new("pipeline_stages"))
        .and_where(Expr::col(Alias::new("pipeline_id")).eq(id));
    if !kept.is_empty() {
        delete.and_where(Expr::col(Alias::new("id")).is_not_in(kept));
    }
    conn.queue(&delete).await?;
    for (position, stage) in fields.stages.iter().enumerate() {
        let values: [(&str, Value); 5] = [
            ("name", stage.name.clone().into()),
            ("kind", stage.kind.as_str().into()),
            ("probability", i64::from(stage.probability).into()),
            ("rotting_days", stage.rotting_days.map(i64::from).into()),
            ("position", (position as i64 + 1).into()),
        ];
        match stage.id {
            Some(stage_id) => {
                let mut update = Query::update();
                update.table(Alias::new("pipeline_stages"));
                for (column, value) in values {
                    update.value(Alias::new(column), value);
                }
                update
                    .and_where(Expr::col(Alias::new("id")).eq(stage_id))
                    .and_where(Expr::col(Alias::new("pipeline_id")).eq(id));
                if conn.execute(&update).await? == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            None => {
                let mut insert = Query::insert();
                let (columns, values): (Vec<_>, Vec<_>) = values
                    .into_iter()
                    .map(|(c, v)| (Alias::new(c), SimpleExpr::Value(v)))
                    .unzip();
                insert
                    .into_table(Alias::new("pipeline_stages"))
                    .columns(columns.into_iter().chain([Alias::new("pipeline_id")]))
                    .values_panic(values.into_iter().chain([id.into()]));
                conn.queue(&insert).await?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Every pipeline with its stages, in their order.
    pub async fn pipelines(&self) -> Result<Vec<Pipeline>, StoreError> {
        let mut select = Query::select();
        select
            .columns(
                [
                    "id",
                    "name",
                    "currency",
                    "position",
                    "version",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("pipelines"))
            .order_by(Alias::new("position"), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc);
        let mut pipelines = self
            .fetch_rows(&select)
            .await?
            .iter()
            .map(read_pipeline)
            .collect::<Result<Vec<_>, _>>()?;
        let mut stages = Query::select();
        stages
            .columns(
                [
                    "id",
                    "pipeline_id",
                    "name",
                    "kind",
                    "probability",
                    "rotting_days",
                    "position",
                ]
                .map(Alias::new),
            )
            .from(Alias::new("pipeline_stages"))
            .order_by(Alias::new("position"), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc);
        for row in self.fetch_rows(&stages).await? {
            let (pipeline_id, stage) = read_stage(&row)?;
            if let Some(p) = pipelines.iter_mut().find(|p| p.id == pipeline_id) {
                p.stages.push(stage);
            }
        }
        Ok(pipelines)
    }

    /// One pipeline with its stages.
    pub async fn pipeline(&self, id: i64) -> Result<Pipeline, StoreError> {
        self.pipelines()
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Inserts a pipeline after the others, with its stages and audit entry (whose
    /// `record_id` is filled in); its id.
    pub async fn insert_pipeline(
        &self,
        fields: &PipelineFields,
        entry: AuditEntry,
    ) -> Result<i64, StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let mut last = Query::select();
            last.expr(Func::coalesce([
                SimpleExpr::from(Func::max(Expr::col(Alias::new("position")))),
                Expr::val(0_i64),
            ]))
            .from(Alias::new("pipelines"));
            let position = conn.fetch_i64(&last).await? + 1;
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("pipelines"))
                .columns(
                    ["name", "currency", "position", "created_at", "updated_at"].map(Alias::new),
                )
                .values_panic([
                    fields.name.clone().into(),
                    fields.currency.clone().into(),
                    position.into(),
                    now.into(),
                    now.into(),
                ])
                .returning_col(Alias::new("id"));
            let id = conn.fetch_i64(&insert).await?;
            write_stages(conn, id, fields).await?;
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
        .await
    }

    /// Replaces pipeline `id`'s name, currency and stages if it is still at `version`:
    /// [`StoreError::StaleVersion`] when it changed, [`StoreError::NotFound`] when it is gone
    /// or names a stage of another pipeline.
    pub async fn update_pipeline(
        &self,
        id: i64,
        version: i64,
        fields: &PipelineFields,
        entry: AuditEntry,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            let content = vec![
                ("name", fields.name.clone().into()),
                ("currency", fields.currency.clone().into()),
            ];
            conn.update_versioned("pipelines", id, version, content, now)
                .await?;
            write_stages(conn, id, fields).await?;
            conn.audit(&entry, now).await
        })
        .await
    }

    /// Deletes pipeline `id` and its stages, with its audit entry.
    pub async fn delete_pipeline(&self, id: i64, entry: AuditEntry) -> Result<(), StoreError> {
        let now = now_micros();
        self.write(async |conn| {
            // Stages first: SQLite enforces the cascade only with its foreign-key pragma.
            let mut stages = Query::delete();
            stages
                .from_table(Alias::new("pipeline_stages"))
                .and_where(Expr::col(Alias::new("pipeline_id")).eq(id));
            conn.queue(&stages).await?;
            let mut delete = Query::delete();
            delete
                .from_table(Alias::new("pipelines"))
                .and_where(Expr::col(Alias::new("id")).eq(id));
            if conn.execute(&delete).await? == 0 {
                return Err(StoreError::NotFound);
            }
            conn.audit(&entry, now).await
        })
        .await
    }
}
