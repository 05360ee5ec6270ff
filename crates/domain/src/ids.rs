//! Typed identifiers. Records use 64-bit integer keys on both databases: compact indexes and
//! cheap keyset pagination over millions of rows.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A team of users.
    TeamId
);
id_type!(
    /// A company (organization, account).
    CompanyId
);
id_type!(
    /// A person (contact).
    PersonId
);
id_type!(
    /// A deal (an opportunity).
    DealId
);
id_type!(
    /// An activity (a call, an e-mail, a meeting, …).
    ActivityId
);
id_type!(
    /// A task (something a user has to do, by a date or a time).
    TaskId
);
