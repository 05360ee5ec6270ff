//! Comments on records and the notifications Rehber sends its users: what a comment may
//! say and whom it may mention, and what a notification is about.
//!
//! A mention names a user by id; whether that user may see the record is the services'
//! check (the domain has no store). The body keeps the text as typed, `@Ad Soyad`
//! included: [`segments`] marks the mentioned names when it is shown.

use crate::activity::Link;
use crate::error::FieldErrors;
use crate::fields::{names, text};
use crate::ids::UserId;
use crate::validate::Invalid;

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 20_000;
/// The most users one comment may mention.
pub const MAX_MENTIONS: usize = 20;

/// A comment as typed: its text and the users it mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentInput {
    pub body: String,
    pub mentions: Vec<i64>,
}

/// A comment's checked content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentFields {
    pub body: String,
    /// Without repeats, in the order given.
    pub mentions: Vec<UserId>,
}

impl CommentInput {
    /// The checked fields, or every problem at once.
    pub fn validate(&self) -> Result<CommentFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let body = text(&mut errors, "body", &self.body, MAX_COMMENT_CHARS);
        if body.as_deref().is_some_and(str::is_empty) {
            errors.add("body", Invalid::Required.code());
        }
        if self.mentions.len() > MAX_MENTIONS {
            errors.add("mentions", "invalid-too-many-mentions");
        }
        let mut mentions: Vec<UserId> = Vec::new();
        for (i, id) in self.mentions.iter().enumerate() {
            if *id <= 0 {
                errors.add(format!("mentions[{i}]"), "invalid-mention");
            } else if !mentions.contains(&UserId(*id)) {
                mentions.push(UserId(*id));
            }
        }
        match body {
            Some(body) if errors.is_empty() => Ok(CommentFields { body, mentions }),
            _ => Err(errors),
        }
    }
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: i64,
    /// The record it is on.
    pub record: Link,
    pub body: String,
    pub author_id: UserId,
    pub author_name: String,
    /// The mentioned users and their names.
    pub mentions: Vec<(UserId, String)>,
    pub created_at: jiff::Timestamp,
}

/// A piece of a comment's text: plain, or the name of a mentioned user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub text: &'a str,
    pub mention: bool,
}

/// The body cut where a mentioned user's `@Name` appears, so a page can mark it.
pub fn segments<'a>(body: &'a str, names: &[&str]) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut rest = body;
    'scan: while !rest.is_empty() {
        let mut search_from = 0;
        while let Some(found) = rest[search_from..].find('@') {
            let at = search_from + found;
            let after = &rest[at + 1..];
            // The longest name that follows, so "@Ali Kaya" wins over "@Ali".
            let matched = names
                .iter()
                .filter(|n| !n.is_empty() && after.starts_with(**n))
                .max_by_key(|n| n.len());
            if let Some(name) = matched {
                if at > 0 {
                    out.push(Segment {
                        text: &rest[..at],
                        mention: false,
                    });
                }
                let end = at + 1 + name.len();
                out.push(Segment {
                    text: &rest[at..end],
                    mention: true,
                });
                rest = &rest[end..];
                continue 'scan;
            }
            search_from = at + 1;
        }
        out.push(Segment {
            text: rest,
            mention: false,
        });
        break;
    }
    out
}

names!(
    /// Why a user is notified.
    NotificationKind {
        Mention = "mention",
        Assignment = "assignment",
        Reminder = "reminder",
        ExportReady = "export_ready",
    }
);

names!(
    /// What a notification is about.
    SubjectType {
        Person = "person",
        Company = "company",
        Deal = "deal",
        Task = "task",
        Export = "export",
    }
);

/// A notification to write: to whom, why, about what, caused by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub subject_type: SubjectType,
    pub subject_id: i64,
    pub actor_id: Option<UserId>,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: i64,
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub subject_type: SubjectType,
    pub subject_id: i64,
    /// The comment that mentioned the user.
    pub comment_id: Option<i64>,
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
    pub created_at: jiff::Timestamp,
    pub read_at: Option<jiff::Timestamp>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn fields(body: &str, mentions: &[i64]) -> Result<CommentFields, Vec<String>> {
        CommentInput {
            body: body.into(),
            mentions: mentions.to_vec(),
        }
        .validate()
        .map_err(|e| {
            e.0.iter()
                .map(|f| format!("{}={}", f.field, f.code))
                .collect()
        })
    }

    #[test]
    fn a_comment_needs_text_within_the_limit_and_mentions_without_repeats() {
        let ok = fields("  @Ayşe Kaya bakar mısın?  ", &[3, 3, 5]).unwrap();
        assert_eq!(ok.body, "@Ayşe Kaya bakar mısın?");
        assert_eq!(ok.mentions, [UserId(3), UserId(5)]);
        assert_eq!(
            fields("   ", &[]),
            Err(vec!["body=invalid-required".into()])
        );
        let long = "a".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            fields(&long, &[]),
            Err(vec!["body=invalid-too-long".into()])
        );
        assert_eq!(
            fields("x", &[0]),
            Err(vec!["mentions[0]=invalid-mention".into()])
        );
        let many: Vec<i64> = (1..=21).collect();
        assert_eq!(
            fields("x", &many),
            Err(vec!["mentions=invalid-too-many-mentions".into()])
        );
    }

    #[test]
    fn mentioned_names_are_marked_longest_first() {
        let marked: Vec<(&str, bool)> =
            segments("@Ali Kaya ve @Ali, bakın: a@b.c", &["Ali", "Ali Kaya"])
                .into_iter()
                .map(|s| (s.text, s.mention))
                .collect();
        assert_eq!(
            marked,
            [
                ("@Ali Kaya", true),
                (" ve ", false),
                ("@Ali", true),
                (", bakın: a@b.c", false)
            ]
        );
        assert_eq!(segments("", &["Ali"]), []);
        assert_eq!(
            segments("Çay @Öykü", &["Öykü"]),
            [
                Segment {
                    text: "Çay ",
                    mention: false
                },
                Segment {
                    text: "@Öykü",
                    mention: true
                }
            ]
        );
    }
}
