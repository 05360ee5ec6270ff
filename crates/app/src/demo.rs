//! The demo company: two sales teams, their users, companies and people, generated from a
//! seed so every run with the same seed gives the same records.
//!
//! Users are created through [`App::create_user`] and records through the domain's form
//! validation, then loaded with the store's bulk inserts (many rows per statement) and one
//! audit entry for the whole run. It refuses to run on a database that already holds people
//! or companies: demo records must never mix with real customers.

mod generate;
mod words;

use crate::App;
use crate::error::AppResult;
use crate::secrets::generated_password;
use crate::users::UserInput;
use generate::{CompanyRef, Generator, TeamStaff};
use rehber_domain::party::{Companies, People};
use rehber_domain::{Error, Role};
use rehber_store::{AuditChange, AuditEntry, BulkCompany, BulkPerson};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

/// The e-mail domain of the demo users (reserved: `.local` never resolves on the internet).
pub const DEMO_EMAIL_DOMAIN: &str = "demo.rehber.local";
/// The administrator of the demo company.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.rehber.local";
pub const DEFAULT_PEOPLE: usize = 300;
pub const DEFAULT_SEED: u64 = 2026;
/// Companies never drop below this, however few people are asked for.
pub const MIN_COMPANIES: usize = 50;

/// Records per transaction: large enough to amortize commits, small enough to keep memory
/// flat at millions of rows.
const COMPANY_BATCH: usize = 5_000;
const PERSON_BATCH: usize = 20_000;
/// People generated between two looks at the running insert.
const GENERATE_STEP: usize = 250;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub people: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            people: DEFAULT_PEOPLE,
            seed: DEFAULT_SEED,
        }
    }
}

impl DemoOptions {
    /// One company for every six people, at least [`MIN_COMPANIES`].
    pub fn companies(&self) -> usize {
        (self.people / 6).max(MIN_COMPANIES)
    }
}

/// A demo user and whether this run created it (an existing user keeps its password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team: Option<String>,
    pub created: bool,
}

/// What a demo run stored.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub users: Vec<DemoUser>,
    /// The password of every user this run created (shown once, never stored in clear).
    pub password: String,
    pub companies: usize,
    pub people: usize,
    /// Rows in the tag tables.
    pub tags: usize,
    /// Time spent generating and loading companies and people (users excluded: their
    /// password hashing is deliberately slow).
    pub load_time: Duration,
}

impl DemoReport {
    /// Rows written per second while loading (companies, people and tag rows).
    pub fn rows_per_second(&self) -> f64 {
        let rows = (self.companies + self.people + self.tags) as f64;
        rows / self.load_time.as_secs_f64().max(1e-9)
    }
}

/// Progress of a run: records stored so far out of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoProgress {
    pub stored: usize,
    pub total: usize,
}

/// The demo staff: (e-mail local part, name, role, team index).
const STAFF: &[(&str, &str, Role, Option<usize>)] = &[
    ("admin", "Ayşe Yılmaz", Role::Administrator, None),
    (
        "manager.istanbul",
        "Mehmet Öztürk",
        Role::SalesManager,
        Some(0),
    ),
    (
        "manager.ankara",
        "Zeynep Çelik",
        Role::SalesManager,
        Some(1),
    ),
    ("rep1.istanbul", "Emre Şahin", Role::SalesRep, Some(0)),
    ("rep2.istanbul", "Gülşen Doğan", Role::SalesRep, Some(0)),
    ("rep1.ankara", "Burak Işık", Role::SalesRep, Some(1)),
    ("rep2.ankara", "Öykü Güneş", Role::SalesRep, Some(1)),
    ("support", "Ömer Kaya", Role::SupportAgent, None),
    ("marketing", "Şule Aydın", Role::Marketer, None),
    ("readonly", "İlker Ünal", Role::ReadOnly, None),
];

/// The two sales teams (Turkish names that read fine to English speakers too).
pub const DEMO_TEAMS: [&str; 2] = ["Satış İstanbul", "Satış Ankara"];

impl App {
    /// Fills an empty database with the demo company. Refused with
    /// `InvalidState("demo-database-not-empty")` when any person or company is stored.
    pub async fn generate_demo(
        &self,
        options: &DemoOptions,
        progress: &mut (dyn FnMut(DemoProgress) + Send),
    ) -> AppResult<DemoReport> {
        let (people, companies) = self.store.count_all_parties().await?;
        if people > 0 || companies > 0 {
            return Err(Error::InvalidState("demo-database-not-empty").into());
        }
        let password = generated_password()?;
        let (users, teams) = self.demo_staff(&password).await?;

        let started = Instant::now();
        let now = jiff::Timestamp::now();
        let today = self.today();
        let mut generator = Generator::new(options.seed, teams);
        let company_total = options.companies();
        let total = company_total + options.people;
        let mut tags = 0;

        let mut refs: Vec<CompanyRef> = Vec::with_capacity(company_total);
        while refs.len() < company_total {
            let batch_len = COMPANY_BATCH.min(company_total - refs.len());
            let mut drafts = Vec::with_capacity(batch_len);
            let mut rows = Vec::with_capacity(batch_len);
            for i in refs.len()..refs.len() + batch_len {
                let draft = generator.company(i);
                let fields = draft
                    .form
                    .validate()
                    .map_err(|e| invalid_demo("company", &e))?;
                tags += fields.tags.len();
                rows.push(BulkCompany {
                    fields,
                    ownership: draft.ownership,
                    created_at: generator.created_at(now),
                });
                drafts.push(draft);
            }
            let ids = self.store.bulk_insert::<Companies>(&rows).await?;
            refs.extend(ids.into_iter().zip(drafts).map(|(id, d)| CompanyRef {
                id,
                domain: d.domain,
                place: d.place,
                ownership: d.ownership,
            }));
            progress(DemoProgress {
                stored: refs.len(),
                total,
            });
        }

        // Each batch is generated while the database writes the previous one: generating and
        // validating costs about half as much as writing, and the two need not wait in turn.
        let mut person = |generator: &mut Generator| -> AppResult<BulkPerson> {
            let (form, ownership) = generator.person(&refs);
            let fields = form
                .validate(today)
                .map_err(|e| invalid_demo("person", &e))?;
            tags += fields.tags.len();
            Ok(BulkPerson {
                fields,
                ownership,
                created_at: generator.created_at(now),
            })
        };
        let mut stored_people = 0;
        let mut batch = Vec::with_capacity(PERSON_BATCH.min(options.people));
        for _ in 0..PERSON_BATCH.min(options.people) {
            batch.push(person(&mut generator)?);
        }
        while !batch.is_empty() {
            let next_len = PERSON_BATCH.min(options.people - stored_people - batch.len());
            let mut next = Vec::with_capacity(next_len);
            {
                let insert = self.store.bulk_insert::<People>(&batch);
                let mut insert = std::pin::pin!(insert);
                let mut inserted = None;
                while next.len() < next_len {
                    if inserted.is_none() {
                        inserted = poll_once(insert.as_mut()).await;
                    }
                    for _ in 0..GENERATE_STEP.min(next_len - next.len()) {
                        next.push(person(&mut generator)?);
                    }
                    yield_now().await;
                }
                match inserted {
                    Some(result) => result?,
                    None => insert.await?,
                };
            }
            stored_people += batch.len();
            progress(DemoProgress {
                stored: company_total + stored_people,
                total,
            });
            batch = next;
        }
        self.store.after_bulk_load().await?;
        let load_time = started.elapsed();

        let admin = users.iter().find(|u| u.role == Role::Administrator);
        let actor = match admin {
            Some(u) => self
                .store
                .find_user_by_email(&u.email)
                .await?
                .map(|(u, _)| u.id),
            None => None,
        };
        let count = |field: &str, value: String| AuditChange {
            field: field.into(),
            from: String::new(),
            to: value,
        };
        self.store
            .append_audit(&AuditEntry {
                actor,
                record_type: "demo",
                record_id: 0,
                action: "generated",
                changes: vec![
                    count("companies", company_total.to_string()),
                    count("people", options.people.to_string()),
                    count("seed", options.seed.to_string()),
                ],
            })
            .await?;
        tracing::info!(
            companies = company_total,
            people = options.people,
            seed = options.seed,
            "demo company generated"
        );
        Ok(DemoReport {
            users,
            password,
            companies: company_total,
            people: options.people,
            tags,
            load_time,
        })
    }

    /// Creates the demo staff (keeping any that already exist) and returns them with the
    /// sales teams' members.
    async fn demo_staff(&self, password: &str) -> AppResult<(Vec<DemoUser>, Vec<TeamStaff>)> {
        let mut users = Vec::new();
        let mut ids = Vec::new();
        for &(local, name, role, team) in STAFF {
            let email = format!("{local}@{DEMO_EMAIL_DOMAIN}");
            let team_name = team.and_then(|t| DEMO_TEAMS.get(t)).map(|t| t.to_string());
            let (user, created) = match self.store.find_user_by_email(&email).await? {
                Some((user, _)) => (user, false),
                None => {
                    let input = UserInput {
                        email: email.clone(),
                        name: name.into(),
                        role: role.as_str().into(),
                        team: team_name.clone().unwrap_or_default(),
                        password: password.into(),
                    };
                    (self.create_user(None, &input).await?.user, true)
                }
            };
            ids.push((user.id, user.team_id, role, team));
            users.push(DemoUser {
                email,
                name: user.name,
                role: user.role,
                team: user.team_name,
                created,
            });
        }
        let mut teams = Vec::new();
        for index in 0..DEMO_TEAMS.len() {
            let members = ids.iter().filter(|(_, _, _, t)| *t == Some(index));
            let manager = members
                .clone()
                .find(|(_, _, r, _)| *r == Role::SalesManager);
            let Some(&(manager, Some(team_id), _, _)) = manager else {
                return Err(Error::InvalidState("demo-team-missing").into());
            };
            let reps = members
                .filter(|(_, _, r, _)| *r == Role::SalesRep)
                .map(|(id, _, _, _)| *id)
                .collect();
            teams.push(TeamStaff {
                team_id,
                manager,
                reps,
            });
        }
        Ok((users, teams))
    }
}

/// Polls `future` once: its output when ready, `None` while it waits for the database.
async fn poll_once<F: Future>(mut future: Pin<&mut F>) -> Option<F::Output> {
    std::future::poll_fn(|cx| match future.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => Poll::Ready(None),
    })
    .await
}

/// Lets the executor run once (drive I/O, renew cooperative budgets) before continuing.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// A generated record failed validation: a bug in the generator, never the user's input.
fn invalid_demo(kind: &str, errors: &rehber_domain::FieldErrors) -> crate::AppError {
    crate::AppError::Internal(format!("generated demo {kind} is invalid: {errors:?}"))
}
