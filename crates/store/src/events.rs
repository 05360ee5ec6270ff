//! Carrying change events between Rehber instances that share one PostgreSQL database:
//! each event is sent with `NOTIFY` on one channel and every instance (the sender
//! included) listens on it. SQLite means one process: nothing to carry, the services hand
//! events to their own bus.
//!
//! The payload is the services' business (a short JSON of identifiers, far under
//! PostgreSQL's 8,000-byte limit); the store only moves text.

use crate::{Store, StoreError};
use std::time::Duration;

/// The PostgreSQL channel events travel on.
const CHANNEL: &str = "rehber_events";
/// How long to wait before connecting again after the listening connection failed.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// What the relay hands on: an event's payload, or word that some may have been lost
/// (it has just started listening, or listens again after its connection dropped), so
/// whoever shows changes should refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relayed {
    Payload(String),
    Lost,
}

impl Store {
    /// Whether events must travel through the database to reach every instance.
    pub fn shares_events(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    /// Sends an event's payload to every instance listening (PostgreSQL only; on SQLite
    /// it does nothing).
    pub async fn send_event(&self, payload: &str) -> Result<(), StoreError> {
        if let Store::Postgres(pool) = self {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Listens for events until `deliver` returns `false` (nobody wants them any more),
    /// handing each on. Each time it starts listening (the first time too: events sent
    /// before it listened are missed) it reports [`Relayed::Lost`]; a dropped connection is
    /// reopened. Returns at once on SQLite.
    pub async fn relay_events(&self, mut deliver: impl FnMut(Relayed) -> bool + Send) {
        let Store::Postgres(pool) = self else {
            return;
        };
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(pool).await {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "listening for events failed; trying again");
                    tokio::time::sleep(RECONNECT_AFTER).await;
                    continue;
                }
            };
            if let Err(error) = listener.listen(CHANNEL).await {
                tracing::warn!(%error, "listening for events failed; trying again");
                tokio::time::sleep(RECONNECT_AFTER).await;
                continue;
            }
            if !deliver(Relayed::Lost) {
                return;
            }
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        if !deliver(Relayed::Payload(notification.payload().to_string())) {
                            return;
                        }
                    }
                    // The connection dropped: what was sent meanwhile is lost.
                    Ok(None) => {
                        if !deliver(Relayed::Lost) {
                            return;
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the event listener failed; reconnecting");
                        break;
                    }
                }
            }
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    }
}
