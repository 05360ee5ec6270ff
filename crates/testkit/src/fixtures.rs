//! The service layer on a test database and builders for the records tests need: users in
//! teams with roles, companies and people with Turkish data, created through the services
//! (so they are validated and audited like real input) or inserted through the store.

use crate::TestDb;
use rehber_app::ownership::OwnershipRequest;
use rehber_app::records::ServiceKind;
use rehber_app::users::UserInput;
use rehber_app::{App, AppError, Settings};
use rehber_domain::deal::{DealPatch, Deals};
use rehber_domain::party::{Companies, People};
use rehber_domain::party::{CompanyPatch, LifecycleStage, Ownership, PersonPatch};
use rehber_domain::{Actor, CompanyId, PersonId, Role, TeamId, UserId};
use rehber_store::{AuditEntry, Store, User};

/// The password of every fixture user.
pub const PASSWORD: &str = "Gizli-Parola-2024";

/// Service settings for tests: the defaults with cheap password hashing.
pub fn test_settings() -> Settings {
    Settings {
        fast_password_hashing: true,
        // A short pause for slowed addresses: tests see it happen without waiting seconds.
        sign_in: rehber_app::SignInPolicy {
            client_pause: std::time::Duration::from_millis(50),
            ..rehber_app::SignInPolicy::default()
        },
        ..Settings::default()
    }
}

/// The service layer on a test database (what the web crate's `TestApp` will serve).
pub fn test_app(db: &TestDb) -> App {
    App::new(db.store.clone(), test_settings())
}

/// The service layer plus shortcuts for making users.
#[derive(Debug, Clone)]
pub struct Fixtures {
    pub app: App,
}

impl Fixtures {
    pub fn new(db: &TestDb) -> Fixtures {
        Fixtures { app: test_app(db) }
    }

    pub fn store(&self) -> &Store {
        &self.app.store
    }

    /// A user `<name>@rehber.test` (display name `name`, password [`PASSWORD`]) with `role`,
    /// in `team` (created when new), made as the command line makes users.
    pub async fn user(&self, name: &str, role: Role, team: Option<&str>) -> User {
        let input = UserInput {
            email: format!("{name}@rehber.test"),
            name: name.to_string(),
            role: role.as_str().to_string(),
            team: team.unwrap_or_default().to_string(),
            password: PASSWORD.to_string(),
        };
        match self.app.create_user(None, &input).await {
            Ok(created) => created.user,
            Err(e) => panic!("fixture user {name} could not be created: {e:?}"),
        }
    }

    /// An administrator without a team.
    pub async fn admin(&self) -> User {
        self.user("admin", Role::Administrator, None).await
    }

    /// The id of a team, created when new.
    pub async fn team(&self, name: &str) -> TeamId {
        match self.app.ensure_team(None, name).await {
            Ok(team) => team.id,
            Err(e) => panic!("fixture team {name} could not be created: {e:?}"),
        }
    }
}

/// Today in Rehber's home zone (validation refuses birthdays after it).
fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(rehber_app::home_zone())
        .date()
}

/// A record to create or insert, of any kind: its patch and the ownership asked for. The
/// kinds' own setters are below ([`PersonBuilder`], [`CompanyBuilder`]).
#[derive(Debug, Clone)]
pub struct RecordBuilder<K: ServiceKind> {
    patch: K::Patch,
    ownership: OwnershipRequest,
}

impl<K: ServiceKind> RecordBuilder<K> {
    fn with_patch(patch: K::Patch) -> Self {
        RecordBuilder {
            patch,
            ownership: OwnershipRequest::default(),
        }
    }

    /// Asks for this owner (the team follows the owner unless `team` is given).
    pub fn owner(mut self, owner: UserId) -> Self {
        self.ownership.owner_id = Some(owner);
        self
    }

    pub fn team(mut self, team: TeamId) -> Self {
        self.ownership.team_id = Some(team);
        self
    }

    /// Any other field: `.with(|p| p.birthday = Some("1990-05-17".into()))`.
    pub fn with(mut self, change: impl FnOnce(&mut K::Patch)) -> Self {
        change(&mut self.patch);
        self
    }

    pub fn patch(&self) -> K::Patch {
        self.patch.clone()
    }

    pub fn ownership(&self) -> OwnershipRequest {
        self.ownership
    }

    /// The validated content (panics when the builder holds invalid input).
    pub fn fields(&self) -> K::Fields {
        let mut form = K::blank();
        K::apply(&mut form, self.patch.clone());
        K::validate(&form, today())
            .unwrap_or_else(|errors| panic!("fixture {} is invalid: {errors:?}", K::TYPE))
    }

    /// Creates the record through the services as `actor`. A fixture may repeat another's
    /// e-mail or phone: the duplicate check is tested through the doors that apply it.
    pub async fn try_create(self, app: &App, actor: &Actor) -> Result<K::Record, AppError> {
        let duplicates = rehber_app::duplicates::Duplicates::Allow;
        app.create_with::<K>(actor, self.patch, self.ownership, duplicates)
            .await
    }

    /// Creates the record through the services as `actor`, or panics with the refusal.
    pub async fn create(self, app: &App, actor: &Actor) -> K::Record {
        let asked = format!("{:?}", self.patch);
        self.try_create(app, actor)
            .await
            .unwrap_or_else(|e| panic!("fixture {} could not be created: {e:?} ({asked})", K::TYPE))
    }

    /// Inserts the record straight through the store with `ownership` (store tests).
    pub async fn insert(self, store: &Store, ownership: Ownership) -> K::Id {
        let fields = self.fields();
        let entry = AuditEntry {
            actor: ownership.owner_id,
            record_type: K::TYPE,
            record_id: 0,
            action: "created",
            changes: Vec::new(),
        };
        store
            .insert::<K>(&fields, ownership, entry)
            .await
            .unwrap_or_else(|e| panic!("fixture {} could not be inserted: {e:?}", K::TYPE))
    }
}

/// The setters of the fields every party has.
macro_rules! party_setters {
    ($kind:ty) => {
        impl RecordBuilder<$kind> {
            /// Adds an e-mail (the first is the primary one).
            pub fn email(mut self, email: &str) -> Self {
                let emails = self.patch.emails.get_or_insert_with(Vec::new);
                emails.push(email.to_string());
                self
            }

            /// Adds a phone as typed (`0532 123 45 67`, `+90 212 …`).
            pub fn phone(mut self, phone: &str) -> Self {
                let phones = self.patch.phones.get_or_insert_with(Vec::new);
                phones.push(phone.to_string());
                self
            }

            pub fn tag(mut self, tag: &str) -> Self {
                let tags = self.patch.tags.get_or_insert_with(Vec::new);
                tags.push(tag.to_string());
                self
            }

            pub fn city(mut self, city: &str) -> Self {
                self.patch.city = Some(city.to_string());
                self
            }

            pub fn stage(mut self, stage: LifecycleStage) -> Self {
                self.patch.lifecycle_stage = Some(stage.as_str().to_string());
                self
            }
        }
    };
}

party_setters!(People);
party_setters!(Companies);

/// A person to create: `PersonBuilder::new("Işık", "Çağlar").email("isik@ornek.com.tr")
/// .phone("0532 123 45 67").company(id).owner(user.id).create(&app, &actor)`.
pub type PersonBuilder = RecordBuilder<People>;

impl RecordBuilder<People> {
    pub fn new(first_name: &str, last_name: &str) -> Self {
        RecordBuilder::with_patch(PersonPatch {
            first_name: Some(first_name.to_string()),
            last_name: Some(last_name.to_string()),
            ..PersonPatch::default()
        })
    }

    pub fn company(mut self, company: CompanyId) -> Self {
        self.patch.company_id = Some(company.to_string());
        self
    }

    pub fn job_title(mut self, title: &str) -> Self {
        self.patch.job_title = Some(title.to_string());
        self
    }

    /// A TCKN as typed.
    pub fn national_id(mut self, tckn: &str) -> Self {
        self.patch.national_id = Some(tckn.to_string());
        self
    }
}

/// A company to create: `CompanyBuilder::new("Anadolu Gıda A.Ş.").city("İstanbul")
/// .tax_number("4540536920").create(&app, &actor)`.
pub type CompanyBuilder = RecordBuilder<Companies>;

impl RecordBuilder<Companies> {
    pub fn new(name: &str) -> Self {
        RecordBuilder::with_patch(CompanyPatch {
            name: Some(name.to_string()),
            ..CompanyPatch::default()
        })
    }

    pub fn website(mut self, website: &str) -> Self {
        self.patch.website = Some(website.to_string());
        self
    }

    /// A VKN as typed (`4540536920` is checksum-valid).
    pub fn tax_number(mut self, vkn: &str) -> Self {
        self.patch.tax_number = Some(vkn.to_string());
        self
    }

    pub fn tax_office(mut self, office: &str) -> Self {
        self.patch.tax_office = Some(office.to_string());
        self
    }
}

/// A deal to create: `DealBuilder::new("Yıllık bakım", pipeline, stage).amount("1250,50",
/// "TRY").create(&app, &actor)` (the seeded pipeline is `Satış`, found by
/// `App::pipelines`).
pub type DealBuilder = RecordBuilder<Deals>;

impl RecordBuilder<Deals> {
    pub fn new(name: &str, pipeline_id: i64, stage_id: i64) -> Self {
        RecordBuilder::with_patch(DealPatch {
            name: Some(name.to_string()),
            pipeline_id: Some(pipeline_id.to_string()),
            stage_id: Some(stage_id.to_string()),
            ..DealPatch::default()
        })
    }

    /// An amount as typed, in `currency`.
    pub fn amount(mut self, amount: &str, currency: &str) -> Self {
        self.patch.amount = Some(amount.to_string());
        self.patch.currency = Some(currency.to_string());
        self
    }

    pub fn company(mut self, company: CompanyId) -> Self {
        self.patch.company_id = Some(company.to_string());
        self
    }

    pub fn probability(mut self, percent: u8) -> Self {
        self.patch.probability = Some(percent.to_string());
        self
    }

    /// `YYYY-MM-DD`: when it is expected to close (a won deal: when it closed).
    pub fn expected_close(mut self, day: &str) -> Self {
        self.patch.expected_close = Some(day.to_string());
        self
    }

    /// `commit`, `best_case`, `pipeline`, `omitted`.
    pub fn forecast_category(mut self, category: &str) -> Self {
        self.patch.forecast_category = Some(category.to_string());
        self
    }

    pub fn person(mut self, person: PersonId) -> Self {
        self.patch.person_id = Some(person.to_string());
        self
    }
}
