//! A record kind declared only here, in the test suite, proves the seam: a kind is its
//! domain spec ([`Kind`]), its store spec ([`StoredKind`]) and its service spec
//! ([`ServiceKind`]) plus its table. With nothing else, it gets get, list with keyset pages
//! and sorting, count, create, update with the version check, soft delete, trash and
//! restore, bulk tag/reassign/delete, history and the audit trail, all through the caller's
//! scope, on SQLite and PostgreSQL (see `docs/architecture.md`, "Adding a record kind").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::list::{BulkOutcome, ListRequest};
use rehber_app::ownership::OwnershipRequest;
use rehber_app::records::ServiceKind;
use rehber_app::{PageRequest, PartyFilter, PartySort, SortDirection};
use rehber_domain::access::RecordKind;
use rehber_domain::custom::CustomValues;
use rehber_domain::party::{Ownership, RecordMeta};
use rehber_domain::validate::text::{search_key, sort_key};
use rehber_domain::{Error, FieldErrors, Kind, Role, TeamId, UserId};
use rehber_store::{ListTable, Row, StoreError, StoredKind, Value};
use rehber_testkit::{Backend, Fixtures, TestDb, both_backends, field_errors, refusal};
use serde::Serialize;

/// Projects: a name, a code and tags. Nothing else in Rehber knows them.
struct Projects;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ProjectId(i64);

impl std::fmt::Display for ProjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct ProjectFields {
    name: String,
    code: String,
    tags: Vec<String>,
    custom: CustomValues,
}

#[derive(Debug, Clone)]
struct Project {
    id: ProjectId,
    fields: ProjectFields,
    ownership: Ownership,
    meta: RecordMeta,
}

#[derive(Debug, Clone, Default, Serialize)]
struct ProjectForm {
    name: String,
    code: String,
    tags: Vec<String>,
    #[serde(skip)]
    custom: CustomValues,
}

impl From<&ProjectFields> for ProjectForm {
    fn from(f: &ProjectFields) -> ProjectForm {
        ProjectForm {
            name: f.name.clone(),
            code: f.code.clone(),
            tags: f.tags.clone(),
            custom: f.custom.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct ProjectPatch {
    name: Option<String>,
    code: Option<String>,
    tags: Option<Vec<String>>,
}

impl Kind for Projects {
    const ACCESS: RecordKind = RecordKind::Company;
    const TYPE: &'static str = "project";
    type Id = ProjectId;
    type Fields = ProjectFields;
    type Form = ProjectForm;
    type Patch = ProjectPatch;
    type Record = Project;

    fn id(raw: i64) -> ProjectId {
        ProjectId(raw)
    }
    fn raw(id: ProjectId) -> i64 {
        id.0
    }
    fn blank() -> ProjectForm {
        ProjectForm::default()
    }
    fn apply(form: &mut ProjectForm, patch: ProjectPatch) {
        if let Some(name) = patch.name {
            form.name = name;
        }
        if let Some(code) = patch.code {
            form.code = code;
        }
        if let Some(tags) = patch.tags {
            form.tags = tags;
        }
    }
    fn validate(
        form: &ProjectForm,
        _today: jiff::civil::Date,
    ) -> Result<ProjectFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = form.name.trim().to_string();
        if name.is_empty() {
            errors.add("name", "invalid-required");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tags: Vec<String> = form
            .tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        tags.dedup();
        Ok(ProjectFields {
            name,
            code: form.code.trim().to_string(),
            tags,
            custom: form.custom.clone(),
        })
    }
    fn tags_patch(tags: Vec<String>) -> ProjectPatch {
        ProjectPatch {
            tags: Some(tags),
            ..ProjectPatch::default()
        }
    }
    fn record_id(record: &Project) -> ProjectId {
        record.id
    }
    fn fields(record: &Project) -> &ProjectFields {
        &record.fields
    }
    fn ownership(record: &Project) -> Ownership {
        record.ownership
    }
    fn meta(record: &Project) -> &RecordMeta {
        &record.meta
    }
    fn title(record: &Project) -> String {
        record.fields.name.clone()
    }
    fn subtitle(record: &Project) -> Option<String> {
        Some(record.fields.code.clone()).filter(|code| !code.is_empty())
    }
    fn tags(fields: &ProjectFields) -> &[String] {
        &fields.tags
    }
    fn custom(fields: &ProjectFields) -> &CustomValues {
        &fields.custom
    }
    fn take_custom(
        _patch: &mut ProjectPatch,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        None
    }
    fn custom_patch(_values: serde_json::Map<String, serde_json::Value>) -> ProjectPatch {
        ProjectPatch::default()
    }
    fn set_custom(form: &mut ProjectForm, values: CustomValues) {
        form.custom = values;
    }
}

impl StoredKind for Projects {
    const TABLE: ListTable = ListTable {
        table: "projects",
        fts_table: "projects_fts",
        tag_table: "project_tags",
        tag_key: "project_id",
    };
    const COLUMNS: &'static str = "projects.id, projects.name, projects.code, projects.tags, \
        projects.owner_id, projects.team_id, projects.version, projects.created_at, \
        projects.updated_at, projects.deleted_at, projects.sort_key";

    fn read(row: &Row) -> Result<Project, StoreError> {
        let micros = |name: &str| -> Result<jiff::Timestamp, StoreError> {
            jiff::Timestamp::from_microsecond(row.get(name)?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        };
        let deleted_at = match row.get::<Option<i64>>("deleted_at")? {
            Some(_) => Some(micros("deleted_at")?),
            None => None,
        };
        let tags: String = row.get("tags")?;
        Ok(Project {
            id: ProjectId(row.get("id")?),
            fields: ProjectFields {
                name: row.get("name")?,
                code: row.get("code")?,
                tags: serde_json::from_str(&tags)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                custom: CustomValues::new(),
            },
            ownership: Ownership {
                owner_id: row.get::<Option<i64>>("owner_id")?.map(UserId),
                team_id: row.get::<Option<i64>>("team_id")?.map(TeamId),
            },
            meta: RecordMeta {
                version: row.get("version")?,
                created_at: micros("created_at")?,
                updated_at: micros("updated_at")?,
                deleted_at,
            },
        })
    }

    fn values(f: &ProjectFields, ownership: Ownership) -> Vec<(&'static str, Value)> {
        vec![
            ("name", f.name.clone().into()),
            ("code", f.code.clone().into()),
            ("sort_key", sort_key(&f.name).into()),
            (
                "search_key",
                search_key(&format!("{} {}", f.name, f.code)).into(),
            ),
            (
                "tags",
                serde_json::to_string(&f.tags).unwrap_or_default().into(),
            ),
            ("owner_id", ownership.owner_id.map(|u| u.0).into()),
            ("team_id", ownership.team_id.map(|t| t.0).into()),
        ]
    }
}

impl ServiceKind for Projects {}

/// The kind's table, as its migration would create it.
async fn create_table(db: &TestDb) {
    let id = match db.backend() {
        Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        Backend::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    };
    db.execute(&format!(
        "CREATE TABLE projects (
            id {id},
            name TEXT NOT NULL,
            code TEXT NOT NULL,
            sort_key TEXT NOT NULL,
            search_key TEXT NOT NULL,
            tags TEXT NOT NULL,
            owner_id BIGINT REFERENCES users (id),
            team_id BIGINT REFERENCES teams (id),
            version BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            deleted_at BIGINT
        );
        CREATE TABLE project_tags (
            project_id BIGINT NOT NULL REFERENCES projects (id),
            tag TEXT NOT NULL
        );"
    ))
    .await;
}

fn named(name: &str) -> ProjectPatch {
    ProjectPatch {
        name: Some(name.to_string()),
        ..ProjectPatch::default()
    }
}

fn everything(sort: PartySort) -> ListRequest {
    ListRequest {
        sort,
        direction: SortDirection::Asc,
        page: PageRequest {
            after: None,
            limit: 100,
        },
        ..ListRequest::default()
    }
}

const KEEP: OwnershipRequest = OwnershipRequest {
    owner_id: None,
    team_id: None,
};

both_backends! {
    async fn a_kind_declared_in_a_test_gets_every_generic_operation_through_the_scope(db) {
        create_table(db).await;
        let fx = Fixtures::new(db);
        let app = &fx.app;
        let admin = fx.admin().await.actor();
        let rep_a = fx.user("ayse", Role::SalesRep, Some("Satış")).await.actor();
        let rep_b = fx.user("burak", Role::SalesRep, Some("Satış")).await.actor();

        // Create, with the kind's own validation.
        let refused = app.create::<Projects>(&rep_a, ProjectPatch::default(), KEEP).await;
        assert_eq!(field_errors(refused), ["name=invalid-required"]);
        let ankara = app.create::<Projects>(&rep_a, named("Ankara şubesi"), KEEP).await.unwrap();
        let izmir = app.create::<Projects>(&rep_b, named("İzmir fuarı"), KEEP).await.unwrap();
        assert_eq!(ankara.ownership.owner_id, Some(rep_a.user_id));

        // Get and list through the scope: a rep sees only their own.
        let names = |page: rehber_app::Page<Project>| page.items.iter().map(|p| p.fields.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(app.list::<Projects>(&admin, &everything(PartySort::Name)).await.unwrap()), ["Ankara şubesi", "İzmir fuarı"]);
        assert_eq!(names(app.list::<Projects>(&rep_a, &everything(PartySort::Name)).await.unwrap()), ["Ankara şubesi"]);
        assert_eq!(app.count::<Projects>(&rep_a, &PartyFilter::default()).await.unwrap(), 1);
        assert_eq!(app.count::<Projects>(&admin, &PartyFilter::default()).await.unwrap(), 2);
        assert_eq!(refusal(app.get::<Projects>(&rep_a, izmir.id).await), Error::NotFound);

        // Keyset pages, one record per page.
        let mut ask = everything(PartySort::Created);
        ask.page.limit = 1;
        let first = app.list::<Projects>(&admin, &ask).await.unwrap();
        assert_eq!(names(first.clone()), ["Ankara şubesi"]);
        ask.page.after = first.next_cursor;
        assert_eq!(names(app.list::<Projects>(&admin, &ask).await.unwrap()), ["İzmir fuarı"]);

        // Update with the version check; another rep's record is not there for them.
        let patch = ProjectPatch { code: Some("ANK-1".into()), ..ProjectPatch::default() };
        let saved = app.update::<Projects>(&rep_a, ankara.id, Some(1), patch.clone(), KEEP).await.unwrap();
        assert_eq!((saved.fields.code.as_str(), saved.meta.version), ("ANK-1", 2));
        assert_eq!(refusal(app.update::<Projects>(&rep_a, ankara.id, Some(1), patch.clone(), KEEP).await), Error::StaleVersion);
        assert_eq!(refusal(app.update::<Projects>(&rep_a, izmir.id, None, patch, KEEP).await), Error::NotFound);

        // History and audit, scoped like the record.
        let history = app.history::<Projects>(&rep_a, ankara.id).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["updated", "created"]);
        assert!(history[0].changes.iter().any(|c| c.field == "code" && c.to == "ANK-1"));
        assert_eq!(refusal(app.history::<Projects>(&rep_a, izmir.id).await), Error::NotFound);

        // Bulk actions skip what the actor cannot see.
        let both = [ankara.id, izmir.id];
        let tagged = app.bulk_tag::<Projects>(&rep_a, &both, "öncelikli").await.unwrap();
        assert_eq!(tagged, BulkOutcome { changed: 1, skipped: 1 });
        assert_eq!(app.get::<Projects>(&rep_a, ankara.id).await.unwrap().fields.tags, ["öncelikli"]);
        let moved = app.bulk_assign::<Projects>(&admin, &both, rep_b.user_id).await.unwrap();
        assert_eq!(moved, BulkOutcome { changed: 2, skipped: 0 });
        assert_eq!(refusal(app.get::<Projects>(&rep_a, ankara.id).await), Error::NotFound);

        // Soft delete, the trash (administrators) and restore.
        app.delete::<Projects>(&rep_b, izmir.id).await.unwrap();
        assert_eq!(refusal(app.get::<Projects>(&rep_b, izmir.id).await), Error::NotFound);
        let mut trash = everything(PartySort::Name);
        trash.filter.deleted = true;
        assert_eq!(refusal(app.list::<Projects>(&rep_b, &trash).await), Error::Forbidden);
        assert_eq!(names(app.list::<Projects>(&admin, &trash).await.unwrap()), ["İzmir fuarı"]);
        assert_eq!(refusal(app.restore::<Projects>(&rep_b, izmir.id).await), Error::Forbidden);
        app.restore::<Projects>(&admin, izmir.id).await.unwrap();
        let gone = app.bulk_delete::<Projects>(&rep_b, &both).await.unwrap();
        assert_eq!(gone.changed, 2, "both are rep B's now");
        assert_eq!(app.count::<Projects>(&admin, &PartyFilter::default()).await.unwrap(), 0);
    }
}
