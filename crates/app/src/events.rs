//! Real-time change events: every write that someone else's open page may show publishes
//! an event of identifiers only (what changed, which records show it, and the owner and team
//! that decide who may hear of it). Each instance keeps one in-process bus; with PostgreSQL
//! events go out through the database (`NOTIFY`) and every instance, the sender included,
//! relays them onto its bus, so a change made on one instance reaches browsers on another.
//!
//! A subscriber ([`App::subscribe`]) receives only what its user may see, decided from the
//! event alone (no query per event). A subscriber that fell behind, or an instance whose
//! listening connection dropped, gets [`Delivery::Resync`]: refresh what is shown.

use crate::App;
use rehber_domain::access::RecordKind;
use rehber_domain::activity::Link;
use rehber_domain::{Actor, TeamId, UserId};
use rehber_store::Relayed;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// How many events a slow subscriber may fall behind before it is told to resync.
const BUS_CAPACITY: usize = 1024;
/// The most event streams one user may hold open at once (browsers allow six connections
/// per origin over HTTP/1.1; a seventh tab would hang).
pub const MAX_STREAMS_PER_USER: usize = 8;

/// Who may hear of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Audience {
    /// Whoever may see a record of `kind` with this owner and team.
    Scoped {
        kind: RecordKind,
        owner_id: Option<UserId>,
        team_id: Option<TeamId>,
    },
    /// One user alone (their notifications).
    User { user_id: UserId },
}

/// One change, as identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `record.created`, `record.updated`, `record.deleted`, `activity.created`,
    /// `activity.updated`, `activity.deleted`, `task.created`, `task.updated`,
    /// `task.deleted`, `comment.created`, `comment.deleted`, `attachment.created`,
    /// `attachment.deleted`, `notification`, `notification.read`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What changed: `person`, `company`, `activity`, `task`, `comment`, `notification`.
    pub record_type: String,
    pub id: i64,
    /// The records whose pages show it (a timeline entry's records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<Link>,
    pub audience: Audience,
}

impl Event {
    /// Whether `actor` may hear of it.
    pub fn visible_to(&self, actor: &Actor) -> bool {
        match &self.audience {
            Audience::Scoped {
                kind,
                owner_id,
                team_id,
            } => actor.sees(*kind, *owner_id, *team_id),
            Audience::User { user_id } => *user_id == actor.user_id,
        }
    }
}

/// What a subscriber receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Event(Event),
    /// Events may have been missed: refresh what is shown.
    Resync,
}

/// The in-process bus and the count of open streams per user. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Events {
    bus: broadcast::Sender<Delivery>,
    streams: Arc<Mutex<HashMap<UserId, usize>>>,
    /// Whether this instance listens for other instances' events (PostgreSQL).
    listening: Arc<AtomicBool>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            bus: broadcast::channel(BUS_CAPACITY).0,
            streams: Arc::default(),
            listening: Arc::default(),
        }
    }
}

impl Events {
    /// Whether events sent through the database now reach this instance (always false on
    /// SQLite, where none travel that way).
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Relaxed)
    }

    fn deliver(&self, delivery: Delivery) -> bool {
        // No subscriber is not a failure: nobody is looking.
        let _ = self.bus.send(delivery);
        true
    }
}

/// One user's open stream; dropping it frees its place.
#[derive(Debug)]
pub struct Subscription {
    actor: Actor,
    receiver: broadcast::Receiver<Delivery>,
    streams: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Subscription {
    /// The next delivery its user may see; `None` once the bus is gone.
    pub async fn next(&mut self) -> Option<Delivery> {
        loop {
            match self.receiver.recv().await {
                Ok(Delivery::Event(event)) if !event.visible_to(&self.actor) => continue,
                Ok(delivery) => return Some(delivery),
                Err(broadcast::error::RecvError::Lagged(_)) => return Some(Delivery::Resync),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut streams) = self.streams.lock()
            && let Some(count) = streams.get_mut(&self.actor.user_id)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                streams.remove(&self.actor.user_id);
            }
        }
    }
}

impl App {
    /// Opens a stream of the events `actor` may see; `None` when they already hold
    /// [`MAX_STREAMS_PER_USER`].
    pub fn subscribe(&self, actor: &Actor) -> Option<Subscription> {
        let mut streams = self.events.streams.lock().ok()?;
        let count = streams.entry(actor.user_id).or_default();
        if *count >= MAX_STREAMS_PER_USER {
            return None;
        }
        *count += 1;
        Some(Subscription {
            actor: actor.clone(),
            receiver: self.events.bus.subscribe(),
            streams: self.events.streams.clone(),
        })
    }

    /// Publishes a change: through the database when instances share it, else straight
    /// onto this instance's bus. A failure is logged: the change itself is saved.
    pub(crate) async fn publish(&self, event: Event) {
        if !self.store.shares_events() {
            self.events.deliver(Delivery::Event(event));
            return;
        }
        let payload = match serde_json::to_string(&event) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, "an event could not be written");
                return;
            }
        };
        if let Err(error) = self.store.send_event(&payload).await {
            tracing::warn!(%error, "an event could not be sent");
        }
    }

    /// Relays the events other instances (and this one) send through the database onto
    /// this instance's bus, until the process ends. Does nothing on SQLite.
    pub async fn relay_events(&self) {
        let events = self.events.clone();
        self.store
            .relay_events(move |relayed| match relayed {
                Relayed::Payload(text) => match serde_json::from_str::<Event>(&text) {
                    Ok(event) => events.deliver(Delivery::Event(event)),
                    Err(error) => {
                        tracing::warn!(%error, "an unreadable event was ignored");
                        true
                    }
                },
                Relayed::Lost => {
                    events.listening.store(true, Ordering::Relaxed);
                    events.deliver(Delivery::Resync)
                }
            })
            .await;
    }
}

/// An event about a record of `kind` with this ownership.
pub(crate) fn scoped(
    kind: &str,
    record_type: &str,
    id: i64,
    (record_kind, ownership): (RecordKind, rehber_domain::party::Ownership),
    records: Vec<Link>,
) -> Event {
    Event {
        kind: kind.to_string(),
        record_type: record_type.to_string(),
        id,
        records,
        audience: Audience::Scoped {
            kind: record_kind,
            owner_id: ownership.owner_id,
            team_id: ownership.team_id,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rehber_domain::Role;

    fn actor(user: i64, team: Option<i64>, role: Role) -> Actor {
        Actor {
            user_id: UserId(user),
            team_id: team.map(TeamId),
            role,
        }
    }

    #[test]
    fn an_event_reaches_only_whoever_may_see_its_record() {
        let event = Event {
            kind: "record.updated".into(),
            record_type: "person".into(),
            id: 7,
            records: vec![],
            audience: Audience::Scoped {
                kind: RecordKind::Person,
                owner_id: Some(UserId(1)),
                team_id: Some(TeamId(10)),
            },
        };
        assert!(event.visible_to(&actor(1, Some(10), Role::SalesRep)));
        assert!(
            !event.visible_to(&actor(2, Some(10), Role::SalesRep)),
            "a colleague's record"
        );
        assert!(
            event.visible_to(&actor(3, Some(10), Role::SalesManager)),
            "the team's manager"
        );
        assert!(
            !event.visible_to(&actor(4, Some(11), Role::SalesManager)),
            "another team's"
        );
        let mine = Event {
            audience: Audience::User { user_id: UserId(2) },
            ..event.clone()
        };
        assert!(mine.visible_to(&actor(2, None, Role::SalesRep)));
        assert!(
            !mine.visible_to(&actor(1, None, Role::Administrator)),
            "notifications are one user's"
        );
        let text = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), event);
        assert!(text.len() < 8000, "within NOTIFY's limit");
    }
}
