//! Closed choice lists with stable identifiers (used in the API, the database and as
//! translation keys: `lifecycle-<id>`, `lead-status-<id>`, …).

use serde::{Deserialize, Serialize};

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $id:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $id)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            pub fn parse(input: &str) -> Option<$name> {
                let input = input.trim();
                Self::ALL.iter().copied().find(|c| c.as_str() == input)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

choice!(
    /// Where a party stands in the customer journey.
    LifecycleStage {
        Subscriber => "subscriber",
        Lead => "lead",
        Qualified => "qualified",
        Opportunity => "opportunity",
        Customer => "customer",
        Churned => "churned",
    }
);

choice!(
    /// The sales team's progress with a lead.
    LeadStatus {
        New => "new",
        Attempted => "attempted",
        Connected => "connected",
        InProgress => "in_progress",
        Unqualified => "unqualified",
        BadTiming => "bad_timing",
    }
);

choice!(
    /// How a party first reached the company.
    LeadSource {
        Website => "website",
        Referral => "referral",
        Event => "event",
        Advertising => "advertising",
        ColdCall => "cold_call",
        SocialMedia => "social_media",
        Partner => "partner",
        Email => "email",
        Other => "other",
    }
);

choice!(
    /// Number of employees, in the usual bands.
    CompanySize {
        Micro => "1-9",
        Small => "10-49",
        Medium => "50-249",
        Large => "250-999",
        Enterprise => "1000+",
    }
);

/// New parties start as leads.
impl Default for LifecycleStage {
    #[allow(clippy::derivable_impls)] // the macro cannot mark one variant `#[default]`
    fn default() -> Self {
        LifecycleStage::Lead
    }
}
