//! Rehber's domain: the records people and companies are made of, their validation, Turkish
//! text folding, money, roles and the visibility rules derived from them.
//!
//! Pure Rust: no I/O, no database or HTTP types. The store, the services and both web skins
//! build on these types.

pub mod access;
pub mod activity;
pub mod attachment;
pub mod comment;
pub mod consent;
pub mod custom;
pub mod deal;
pub mod erasure;
pub mod error;
mod fields;
pub mod filter;
pub mod ics;
pub mod ids;
pub mod import;
pub mod iys;
pub mod kind;
pub mod ledger;
pub mod money;
pub mod party;
pub mod pipeline;
pub mod price_list;
pub mod pricing;
pub mod product;
pub mod quote;
pub mod rate;
pub mod scoring;
pub mod target;
pub mod task;
pub mod validate;

pub use access::{Actor, Role, Scope, Visibility};
pub use error::{Error, FieldError, FieldErrors};
pub use ids::{CompanyId, DealId, PersonId, TeamId, UserId};
pub use kind::Kind;
pub use money::Money;
