//! Quotes through the services on SQLite and PostgreSQL: numbers without gaps when many are
//! written at once, a quote past its validity expired by the day's job and then refused for
//! acceptance, and the money rule held on stored quotes (totals are sums of rounded lines).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::quotes::{QuoteDraft, QuoteStep};
use rehber_domain::pricing::LineDraft;
use rehber_domain::quote::{QuoteAction, QuoteStatus};
use rehber_domain::{Actor, Error, Role};
use rehber_testkit::{Fixtures, both_backends, field_errors, refusal};

fn line(quantity: &str, price: i64, discount: &str, vat: i64) -> LineDraft {
    LineDraft {
        description: "Bakım hizmeti".into(),
        quantity: quantity.into(),
        unit_price: Some(price),
        discount_percent: discount.into(),
        vat_rate: Some(vat),
        ..LineDraft::default()
    }
}

fn draft(lines: Vec<LineDraft>) -> QuoteDraft {
    QuoteDraft {
        lines,
        ..QuoteDraft::default()
    }
}

async fn sent(app: &App, actor: &Actor, valid_until: &str) -> i64 {
    let quote = app
        .create_quote(
            actor,
            &QuoteDraft {
                valid_until: valid_until.into(),
                ..draft(vec![line("1", 10_000, "", 20)])
            },
        )
        .await
        .unwrap();
    let document = app.quote_document(actor, quote.id).await.unwrap();
    app.send_quote(
        actor,
        &document,
        b"%PDF-1.7 test".to_vec(),
        &Default::default(),
    )
    .await
    .unwrap();
    quote.id
}

both_backends! {
    async fn quote_numbers_have_no_gaps_when_many_are_written_at_once(db) {
        let fx = Fixtures::new(db);
        let mut reps = Vec::new();
        for i in 0..4 {
            reps.push(fx.user(&format!("rep{i}"), Role::SalesRep, None).await.actor());
        }
        let mut writers = Vec::new();
        for i in 0..24 {
            let app = fx.app.clone();
            let rep = reps[i % reps.len()].clone();
            writers.push(tokio::spawn(async move {
                // Every third one is refused before it is written: it takes no number.
                let quantity = if i % 3 == 0 { "0" } else { "1" };
                app.create_quote(&rep, &draft(vec![line(quantity, 1_000, "", 20)])).await
            }));
        }
        let mut numbers = Vec::new();
        for writer in writers {
            if let Ok(quote) = writer.await.unwrap() {
                numbers.push(quote.number);
            }
        }
        numbers.sort();
        let year = fx.app.today().year();
        let expected: Vec<String> = (1..=16).map(|n| format!("TKF-{year}-{n:06}")).collect();
        assert_eq!(numbers, expected);
    }

    async fn stored_totals_are_the_sums_of_rounded_lines_and_a_full_discount_is_zero(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await.actor();
        let quote = fx
            .app
            .create_quote(&rep, &draft(vec![
                line("2.5", 12_345, "10", 20),
                line("0.333", 1_001, "12.5", 10),
                line("7", 9_999, "100", 20),
                line("1", 33, "", 1),
            ]))
            .await
            .unwrap();
        let sum = |part: fn(&rehber_domain::pricing::LineAmounts) -> i64| -> i64 {
            quote.lines.iter().map(|l| part(&l.amounts)).sum()
        };
        assert_eq!(quote.totals.net, sum(|a| a.net));
        assert_eq!(quote.totals.vat, sum(|a| a.vat));
        assert_eq!(quote.totals.gross, quote.totals.net + quote.totals.vat);
        assert_eq!(quote.lines[2].amounts.gross, 0, "100 % off is exactly zero");
        // 0.333 × 10,01 = 3,33333 → 3,33; 12.5 % → 0,41625 → 0,42; net 2,91; KDV 10 % → 0,29.
        assert_eq!((quote.lines[1].amounts.net, quote.lines[1].amounts.vat), (291, 29));
        let stored = fx.app.quote(&rep, quote.id).await.unwrap();
        assert_eq!(stored, quote, "read back as written");
    }

    async fn a_quote_past_its_validity_expires_overnight_and_is_no_longer_accepted(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, None).await.actor();
        let today = fx.app.today();
        let id = sent(&fx.app, &rep, &today.to_string()).await;
        let open = sent(&fx.app, &rep, "").await;
        let tomorrow = today.tomorrow().unwrap();
        assert_eq!(fx.store().expire_quotes(tomorrow).await.unwrap(), 1);
        assert_eq!(fx.app.quote(&rep, id).await.unwrap().status, QuoteStatus::Expired);
        assert_eq!(fx.app.quote(&rep, open).await.unwrap().status, QuoteStatus::Sent);
        let refused = fx.app.quote_step(&rep, id, QuoteAction::Accept, &QuoteStep::default()).await;
        assert!(matches!(refusal(refused), Error::Conflict(_)));
        let revision = fx.app.revise_quote(&rep, id).await.unwrap();
        assert_eq!((revision.revision, revision.status), (2, QuoteStatus::Draft));
        assert!(revision.valid_until > today, "a revision is valid from today again");

        let past = fx
            .app
            .create_quote(&rep, &QuoteDraft { valid_until: "2020-01-01".into(), ..draft(vec![line("1", 1, "", 20)]) })
            .await;
        assert_eq!(field_errors(past), ["valid_until=invalid-valid-until-past"]);
    }
}
