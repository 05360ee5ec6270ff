//! Deterministic demo records: the same seed gives the same companies and people. Every
//! record is produced as a raw form (as a user would type it) and must pass the domain's
//! validation, so the demo never holds data the application itself would refuse.

use super::words::*;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rehber_domain::party::{Address, Bant, CompanyForm, CompanySize, LifecycleStage, PersonForm};
use rehber_domain::party::{LeadSource, LeadStatus, Ownership};
use rehber_domain::validate::text::search_key;
use rehber_domain::{CompanyId, TeamId, UserId};
use std::collections::HashSet;

/// A sales team's people the demo records are spread over.
#[derive(Debug, Clone)]
pub(super) struct TeamStaff {
    pub team_id: TeamId,
    pub manager: UserId,
    pub reps: Vec<UserId>,
}

/// What people need to know about a stored demo company.
#[derive(Debug, Clone)]
pub(super) struct CompanyRef {
    pub id: CompanyId,
    pub domain: String,
    pub place: usize,
    pub ownership: Ownership,
}

/// A generated company before it is stored.
pub(super) struct CompanyDraft {
    pub form: CompanyForm,
    pub domain: String,
    pub place: usize,
    pub ownership: Ownership,
}

/// Multiplier of the VKN permutation: odd and not a multiple of 5, so `i ↦ a·i + b mod 10⁹`
/// is a bijection and every demo company gets a different tax number.
const VKN_STRIDE: u64 = 7_654_321;
const VKN_SPACE: u64 = 1_000_000_000;

pub(super) struct Generator {
    rng: ChaCha8Rng,
    teams: Vec<TeamStaff>,
    vkn_offset: u64,
    used_names: HashSet<String>,
    /// Seconds before now the oldest demo record was created.
    history_seconds: i64,
}

impl Generator {
    pub fn new(seed: u64, teams: Vec<TeamStaff>) -> Generator {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let vkn_offset = rng.random_range(0..VKN_SPACE);
        Generator {
            rng,
            teams,
            vkn_offset,
            used_names: HashSet::new(),
            history_seconds: 3 * 365 * 24 * 3600,
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // The word lists are constants and never empty; index 0 keeps this total anyway.
        items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.random_ratio(percent.min(100), 100)
    }

    fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.rng.random_range(0..10u8)))
            .collect()
    }

    /// Who owns a record in `place`: mostly a rep of the team covering it, sometimes the
    /// team's manager.
    fn ownership_for(&mut self, place: usize) -> Ownership {
        let team_index = PLACES.get(place).map_or(0, |p| p.team) % self.teams.len().max(1);
        let Some(staff) = self.teams.get(team_index).cloned() else {
            return Ownership::default();
        };
        let owner = if staff.reps.is_empty() || self.chance(15) {
            staff.manager
        } else {
            *self.pick(&staff.reps)
        };
        Ownership {
            owner_id: Some(owner),
            team_id: Some(staff.team_id),
        }
    }

    /// When a record was created: some time in the last three years.
    pub fn created_at(&mut self, now: jiff::Timestamp) -> jiff::Timestamp {
        let back = self.rng.random_range(0..self.history_seconds);
        now.checked_sub(jiff::SignedDuration::from_secs(back))
            .unwrap_or(now)
    }

    fn company_name(&mut self, place: usize) -> (String, String, String) {
        if self.chance(8) {
            let (name, industry) = *self.pick(ENGLISH_COMPANIES);
            if self.used_names.insert(name.to_string()) {
                let domain = format!("{}.com", ascii_word(name.trim_end_matches(" Ltd.")));
                return (name.to_string(), industry.to_string(), domain);
            }
        }
        let city = PLACES.get(place).map_or("", |p| p.city);
        for attempt in 0..4 {
            let stem = *self.pick(COMPANY_STEMS);
            let (sector, industry) = *self.pick(SECTORS);
            let legal = *self.pick(LEGAL_FORMS);
            // When the plain combinations run out, firms add their city, as real ones do.
            let core = if attempt < 3 {
                format!("{stem} {sector}")
            } else {
                format!("{stem} {city} {sector}")
            };
            let name = format!("{core} {legal}");
            if attempt == 3 || self.used_names.insert(core.clone()) {
                let domain = format!("{}.com.tr", ascii_word(&core));
                return (name, industry.to_string(), domain);
            }
        }
        ("Demo A.Ş.".into(), "Diğer".into(), "demo.com.tr".into())
    }

    /// The `index`-th demo company as typed into the form.
    pub fn company(&mut self, index: usize) -> CompanyDraft {
        let place = self.rng.random_range(0..PLACES.len());
        let (name, industry, domain) = self.company_name(place);
        let at = &PLACES[place];
        let size = *self.pick(CompanySize::ALL);
        let (low, high): (u64, u64) = match size {
            CompanySize::Micro => (1, 10),
            CompanySize::Small => (10, 100),
            CompanySize::Medium => (100, 1_000),
            CompanySize::Large => (1_000, 5_000),
            CompanySize::Enterprise => (5_000, 50_000),
        };
        // Revenue in whole hundred-thousands of lira, typed the Turkish way.
        let revenue = self.rng.random_range(low * 10..high * 10) * 100_000;
        let stage = self.lifecycle_stage();
        let vkn_body = (VKN_STRIDE * index as u64 + self.vkn_offset) % VKN_SPACE;
        let tag_count = self.rng.random_range(0..3);
        let tags = (0..tag_count)
            .map(|_| self.pick(COMPANY_TAGS).to_string())
            .collect();
        let lead_status = self.lead_status(stage);
        let lead_source = self.lead_source();
        let form = CompanyForm {
            name,
            emails: vec![format!("info@{domain}")],
            phones: vec![format!(
                "0{} {} {} {}",
                at.area_code,
                self.digits(3),
                self.digits(2),
                self.digits(2)
            )],
            website: format!("www.{domain}"),
            address: Address {
                street: format!(
                    "{} No: {}",
                    self.pick(STREETS),
                    self.rng.random_range(1..200)
                ),
                district: at.district.into(),
                city: at.city.into(),
                postal_code: at.postal_code.into(),
                country: "Türkiye".into(),
            },
            tags,
            lifecycle_stage: stage.as_str().into(),
            unqualified_reason: unqualified_reason(&lead_status),
            lead_status,
            lead_source,
            bant: self.bant(stage),
            industry,
            size: size.as_str().into(),
            annual_revenue: group_thousands(revenue),
            currency: "TRY".into(),
            tax_office: format!("{} Vergi Dairesi", at.district),
            tax_number: vkn(vkn_body),
            national_id: String::new(),
            trade_registry_number: self.digits(6),
            e_invoice: !matches!(size, CompanySize::Micro) || self.chance(40),
            notes: if self.chance(20) {
                self.pick(NOTES).to_string()
            } else {
                String::new()
            },
            custom: Default::default(),
        };
        let ownership = self.ownership_for(place);
        CompanyDraft {
            form,
            domain,
            place,
            ownership,
        }
    }

    /// A demo person as typed into the form, with their ownership (their company's, or a rep
    /// of the team covering where they live).
    pub fn person(&mut self, companies: &[CompanyRef]) -> (PersonForm, Ownership) {
        let english = self.chance(10);
        let (first, last) = if english {
            (
                self.pick(ENGLISH_FIRST_NAMES),
                self.pick(ENGLISH_LAST_NAMES),
            )
        } else if self.chance(50) {
            (self.pick(FEMALE_NAMES), self.pick(LAST_NAMES))
        } else {
            (self.pick(MALE_NAMES), self.pick(LAST_NAMES))
        };
        let company = if !companies.is_empty() && self.chance(80) {
            companies.get(self.rng.random_range(0..companies.len()))
        } else {
            None
        };
        let place = match company {
            Some(c) if self.chance(85) => c.place,
            _ => self.rng.random_range(0..PLACES.len()),
        };
        let ownership = match company {
            Some(c) => c.ownership,
            None => self.ownership_for(place),
        };
        let local = format!("{}.{}", ascii_word(first), ascii_word(last));
        let mut emails = Vec::new();
        if let Some(c) = company {
            emails.push(format!("{local}@{}", c.domain));
        }
        if emails.is_empty() || self.chance(30) {
            let provider = *self.pick(MAIL_PROVIDERS);
            emails.push(format!(
                "{local}{}@{provider}",
                self.rng.random_range(1..100)
            ));
        }
        let mut phones = vec![self.mobile(english)];
        if company.is_some() && self.chance(25) {
            let at = &PLACES[place];
            phones.push(format!(
                "+90 {} {} {} {}",
                at.area_code,
                self.digits(3),
                self.digits(2),
                self.digits(2)
            ));
        }
        let stage = self.lifecycle_stage();
        let tag_count = self.rng.random_range(0..3);
        let tags = (0..tag_count)
            .map(|_| self.pick(PERSON_TAGS).to_string())
            .collect();
        let at = &PLACES[place];
        let job_title = match company {
            Some(_) if english => self.pick(ENGLISH_JOB_TITLES).to_string(),
            Some(_) => self.pick(JOB_TITLES).to_string(),
            None => String::new(),
        };
        let lead_status = self.lead_status(stage);
        let lead_source = self.lead_source();
        let birthday = if self.chance(60) {
            format!(
                "{}-{:02}-{:02}",
                self.rng.random_range(1955..2005),
                self.rng.random_range(1..13),
                self.rng.random_range(1..29)
            )
        } else {
            String::new()
        };
        let national_id = if !english && self.chance(30) {
            self.tckn()
        } else {
            String::new()
        };
        let form = PersonForm {
            first_name: first.to_string(),
            last_name: last.to_string(),
            emails,
            phones,
            company_id: company.map(|c| c.id.to_string()).unwrap_or_default(),
            job_title,
            address: Address {
                street: format!(
                    "{} No: {}/{}",
                    self.pick(STREETS),
                    self.rng.random_range(1..150),
                    self.rng.random_range(1..20)
                ),
                district: at.district.into(),
                city: at.city.into(),
                postal_code: at.postal_code.into(),
                country: "Türkiye".into(),
            },
            tags,
            lifecycle_stage: stage.as_str().into(),
            unqualified_reason: unqualified_reason(&lead_status),
            lead_status,
            lead_source,
            bant: self.bant(stage),
            birthday,
            national_id,
            notes: if self.chance(15) {
                self.pick(NOTES).to_string()
            } else {
                String::new()
            },
            custom: Default::default(),
        };
        (form, ownership)
    }

    /// A mobile number as people type it: Turkish operators' 5xx prefixes, or a UK number
    /// from the range reserved for fiction for some English-named contacts.
    fn mobile(&mut self, english: bool) -> String {
        if english && self.chance(40) {
            return format!("+44 7700 900{}", self.digits(3));
        }
        let operator = *self.pick(MOBILE_PREFIXES);
        format!(
            "0{operator} {} {} {}",
            self.digits(3),
            self.digits(2),
            self.digits(2)
        )
    }

    fn lifecycle_stage(&mut self) -> LifecycleStage {
        match self.rng.random_range(0..100) {
            0..10 => LifecycleStage::Subscriber,
            10..40 => LifecycleStage::Lead,
            40..55 => LifecycleStage::Qualified,
            55..70 => LifecycleStage::Opportunity,
            70..95 => LifecycleStage::Customer,
            _ => LifecycleStage::Churned,
        }
    }

    fn lead_status(&mut self, stage: LifecycleStage) -> String {
        let open = matches!(
            stage,
            LifecycleStage::Lead | LifecycleStage::Qualified | LifecycleStage::Opportunity
        );
        if open && self.chance(85) {
            self.pick(LeadStatus::ALL).as_str().to_string()
        } else {
            String::new()
        }
    }

    fn lead_source(&mut self) -> String {
        if self.chance(85) {
            self.pick(LeadSource::ALL).as_str().to_string()
        } else {
            String::new()
        }
    }

    /// BANT grows with the stage: customers are fully qualified, subscribers rarely.
    fn bant(&mut self, stage: LifecycleStage) -> Bant {
        let percent = match stage {
            LifecycleStage::Subscriber => 5,
            LifecycleStage::Lead => 25,
            LifecycleStage::Qualified => 60,
            LifecycleStage::Opportunity => 80,
            LifecycleStage::Customer | LifecycleStage::Churned => 100,
        };
        Bant {
            budget: self.chance(percent),
            authority: self.chance(percent),
            need: self.chance(percent),
            timing: self.chance(percent),
        }
    }

    fn tckn(&mut self) -> String {
        let mut body = [0u8; 9];
        body[0] = self.rng.random_range(1..10);
        for digit in body.iter_mut().skip(1) {
            *digit = self.rng.random_range(0..10);
        }
        tckn(body)
    }
}

/// A word in ASCII lower case without spaces (for e-mail addresses and domains).
pub(super) fn ascii_word(text: &str) -> String {
    search_key(text).replace(' ', "")
}

/// `12500000` → `12.500.000` (how amounts are typed in Turkey).
fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The VKN with the nine-digit body `body` (leading zeros kept) and its check digit, computed
/// the revenue administration's way (see `rehber_domain::validate::Vkn`).
pub(super) fn vkn(body: u64) -> String {
    let digits: Vec<u32> = format!("{body:09}")
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let position = i as u32;
            let shifted = (d + 9 - position) % 10;
            if shifted == 9 {
                9
            } else {
                (shifted * (1 << (9 - position))) % 9
            }
        })
        .sum();
    format!("{body:09}{}", (10 - sum % 10) % 10)
}

/// The TCKN with the first nine digits `body` and its two check digits.
pub(super) fn tckn(body: [u8; 9]) -> String {
    let odd: i32 = body.iter().step_by(2).map(|&d| i32::from(d)).sum();
    let even: i32 = body.iter().skip(1).step_by(2).map(|&d| i32::from(d)).sum();
    let tenth = (7 * odd - even).rem_euclid(10);
    let eleventh = (odd + even + tenth) % 10;
    let mut out: String = body.iter().map(|d| char::from(b'0' + d)).collect();
    out.push(char::from(b'0' + tenth as u8));
    out.push(char::from(b'0' + eleventh as u8));
    out
}

/// Why a demo lead was unqualified (the status needs a reason); no reason otherwise.
fn unqualified_reason(lead_status: &str) -> String {
    if lead_status == LeadStatus::Unqualified.as_str() {
        "Bütçesi yok, ihtiyacı da yakın değil".to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rehber_domain::validate::{Tckn, Vkn};

    fn staff() -> Vec<TeamStaff> {
        vec![
            TeamStaff {
                team_id: TeamId(1),
                manager: UserId(2),
                reps: vec![UserId(4), UserId(5)],
            },
            TeamStaff {
                team_id: TeamId(2),
                manager: UserId(3),
                reps: vec![UserId(6), UserId(7)],
            },
        ]
    }

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 11, 23)
    }

    #[test]
    fn computed_tax_numbers_pass_the_domain_checksums() {
        for body in [0, 1, 123_456_789, 999_999_999, 472_019_385] {
            Vkn::parse(&vkn(body)).unwrap();
        }
        Vkn::parse("1234567891").unwrap_err();
        for body in [[1, 0, 0, 0, 0, 0, 0, 0, 0], [9, 8, 7, 6, 5, 4, 3, 2, 1]] {
            Tckn::parse(&tckn(body)).unwrap();
        }
    }

    #[test]
    fn every_generated_company_and_person_is_valid() {
        let mut generator = Generator::new(7, staff());
        let mut refs = Vec::new();
        for i in 0..500 {
            let draft = generator.company(i);
            let fields = draft.form.validate().unwrap_or_else(|e| {
                panic!("company {:?} is invalid: {e:?}", draft.form.name);
            });
            assert!(fields.tax_number.is_some());
            refs.push(CompanyRef {
                id: CompanyId(i as i64 + 1),
                domain: draft.domain,
                place: draft.place,
                ownership: draft.ownership,
            });
        }
        for _ in 0..3000 {
            let (form, ownership) = generator.person(&refs);
            form.validate(today()).unwrap_or_else(|e| {
                panic!("person {form:?} is invalid: {e:?}");
            });
            assert!(ownership.owner_id.is_some() && ownership.team_id.is_some());
        }
    }

    #[test]
    fn tax_numbers_are_unique_within_a_run() {
        let mut generator = Generator::new(1, staff());
        let numbers: HashSet<String> = (0..20_000)
            .map(|i| generator.company(i).form.tax_number)
            .collect();
        assert_eq!(numbers.len(), 20_000);
    }

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let make = |seed| {
            let mut generator = Generator::new(seed, staff());
            let companies: Vec<CompanyForm> = (0..20).map(|i| generator.company(i).form).collect();
            let people: Vec<PersonForm> = (0..20).map(|_| generator.person(&[]).0).collect();
            (companies, people)
        };
        assert_eq!(make(42), make(42));
        assert_ne!(make(42), make(43));
    }

    #[test]
    fn names_keep_their_turkish_letters_and_addresses_stay_ascii() {
        let mut generator = Generator::new(3, staff());
        let names: Vec<String> = (0..300).map(|i| generator.company(i).form.name).collect();
        assert!(
            names
                .iter()
                .any(|n| n.contains(['Ç', 'Ş', 'İ', 'Ö', 'Ü', 'ı', 'ğ']))
        );
        let (person, _) = generator.person(&[]);
        assert!(person.emails.iter().all(|e| e.is_ascii()));
        assert_eq!(group_thousands(12_500_000), "12.500.000");
        assert_eq!(group_thousands(999), "999");
    }
}
