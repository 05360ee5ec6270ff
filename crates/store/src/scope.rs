//! The single scope filter: every read the store does for a user is narrowed by the
//! visibility the domain resolved for them. Nothing else in the store decides visibility.

use rehber_domain::access::Visibility;
use sea_query::{Alias, Cond, Expr, ExprTrait};

/// The condition that keeps only rows of `table` the visibility allows.
pub(crate) fn scope_condition(table: &str, visibility: Visibility) -> Cond {
    match visibility {
        Visibility::All => Cond::all(),
        Visibility::Team(team) => {
            Cond::all().add(Expr::col((Alias::new(table), Alias::new("team_id"))).eq(team.0))
        }
        Visibility::Owner(user) => {
            Cond::all().add(Expr::col((Alias::new(table), Alias::new("owner_id"))).eq(user.0))
        }
    }
}
