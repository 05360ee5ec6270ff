//! Deals through the services on SQLite and PostgreSQL: moving through stages (a lost stage
//! needs a reason and a refusal changes nothing), the history of stage moves on the
//! timeline, the board's totals in TRY with and without exchange rates, the rates
//! themselves, and what a sales rep cannot see.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_app::App;
use rehber_app::convert::Conversion;
use rehber_app::deals::StageMove;
use rehber_app::timeline::TimelineEntry;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::deal::Deals;
use rehber_domain::party::{LifecycleStage, People};
use rehber_domain::pipeline::{Pipeline, StageKind};
use rehber_domain::{Actor, Error, Role};
use rehber_testkit::{
    CompanyBuilder, DealBuilder, Fixtures, PersonBuilder, both_backends, field_errors, refusal,
};

/// The seeded pipeline and the id of its first stage of `kind` (`nth` open one).
async fn seeded(app: &App, actor: &Actor) -> Pipeline {
    app.pipelines(actor).await.unwrap().remove(0)
}

fn stage(pipeline: &Pipeline, kind: StageKind, nth: usize) -> i64 {
    pipeline
        .stages
        .iter()
        .filter(|s| s.kind == kind)
        .nth(nth)
        .unwrap()
        .id
}

fn to(stage_id: i64) -> StageMove {
    StageMove {
        stage_id,
        ..StageMove::default()
    }
}

both_backends! {
    async fn a_deal_moves_through_its_stages_and_a_lost_stage_needs_a_reason(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await.actor();
        let pipeline = seeded(&fx.app, &rep).await;
        let first = stage(&pipeline, StageKind::Open, 0);
        let deal = DealBuilder::new("Yıllık bakım", pipeline.id, first)
            .amount("125.000,50", "TRY")
            .create(&fx.app, &rep)
            .await;
        assert_eq!(deal.fields.amount.as_ref().unwrap().minor, 12_500_050);
        assert_eq!(deal.fields.stage_entered_on, fx.app.today());

        let lost = stage(&pipeline, StageKind::Lost, 0);
        let refused = fx.app.move_deal(&rep, deal.id, to(lost)).await;
        assert_eq!(field_errors(refused), ["lost_reason_id=invalid-lost-reason-required"]);
        let unchanged = fx.app.get::<Deals>(&rep, deal.id).await.unwrap();
        assert_eq!(unchanged.fields.stage_id, first);
        assert_eq!(unchanged.meta.version, deal.meta.version);

        let reason = fx.app.lost_reasons(&rep).await.unwrap()[0].id;
        let moved = fx
            .app
            .move_deal(&rep, deal.id, StageMove {
                lost_reason_id: Some(reason),
                lost_note: Some("Rakip daha ucuz".into()),
                version: Some(deal.meta.version),
                ..to(lost)
            })
            .await
            .unwrap();
        assert_eq!(moved.fields.stage_id, lost);
        assert_eq!(moved.fields.lost_reason_id, Some(reason));

        // The board drew the card at the old version: its drop is refused.
        let stale = fx
            .app
            .move_deal(&rep, deal.id, StageMove { version: Some(deal.meta.version), ..to(first) })
            .await;
        assert_eq!(refusal(stale), Error::StaleVersion);

        // Reopened, it forgets why it was lost.
        let reopened = fx.app.move_deal(&rep, deal.id, to(first)).await.unwrap();
        assert_eq!(reopened.fields.lost_reason_id, None);
        assert_eq!(reopened.fields.lost_note, "");

        // A stage of no pipeline of the deal's is refused.
        let other = fx.app.move_deal(&rep, deal.id, to(9_999)).await;
        assert_eq!(field_errors(other), ["stage_id=invalid-stage"]);

        // The timeline names the stages the deal went through.
        let timeline = fx
            .app
            .timeline(&rep, Link { record_type: LinkType::Deal, record_id: deal.id.0 }, &[], None, 50)
            .await
            .unwrap();
        let moves: Vec<(String, String)> = timeline
            .items
            .iter()
            .filter_map(|item| match &item.entry {
                TimelineEntry::Change(change) => Some(change),
                _ => None,
            })
            .flat_map(|change| change.changes.iter())
            .filter(|c| c.field == "stage_id")
            .map(|c| (c.from.clone(), c.to.clone()))
            .collect();
        let name = |id: i64| pipeline.stages.iter().find(|s| s.id == id).unwrap().name.clone();
        assert_eq!(
            moves,
            [(name(lost), name(first)), (name(first), name(lost)), (String::new(), name(first))]
        );
    }

    async fn the_board_totals_in_try_and_says_what_it_could_not_price(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await.actor();
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await.actor();
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await.actor();
        let pipeline = seeded(&fx.app, &rep).await;
        let first = stage(&pipeline, StageKind::Open, 0);
        let probability = pipeline.stages.iter().find(|s| s.id == first).unwrap().probability;
        DealBuilder::new("TL fırsat", pipeline.id, first).amount("1000", "TRY").create(&fx.app, &rep).await;
        DealBuilder::new("Kesin fırsat", pipeline.id, first)
            .amount("500", "TRY")
            .probability(90)
            .create(&fx.app, &rep)
            .await;
        DealBuilder::new("Dolar fırsatı", pipeline.id, first).amount("100", "USD").create(&fx.app, &rep).await;
        DealBuilder::new("Tutarsız", pipeline.id, first).create(&fx.app, &rep).await;
        DealBuilder::new("Başkasının", pipeline.id, first).amount("7777", "TRY").create(&fx.app, &colleague).await;

        let board = fx.app.deal_board(&rep, pipeline.id, 50).await.unwrap();
        let column = &board.columns[0];
        assert_eq!(column.count, 4, "the colleague's deal is not the rep's to count");
        assert!(column.cards.iter().all(|c| c.deal.fields.name != "Başkasının"));
        assert_eq!(column.total_minor, 150_000);
        let weighted = 100_000 * i64::from(probability) / 100 + 45_000;
        assert_eq!(column.weighted_minor, weighted);
        assert_eq!(column.unpriced, 2, "no amount, and a dollar amount without a rate");
        assert_eq!(board.missing_rates, ["USD"]);

        // A rate on or before today prices the dollar deal.
        let yesterday = fx.app.today().yesterday().unwrap().to_string();
        assert_eq!(
            refusal(fx.app.put_rate(&rep, "USD", &yesterday, "42,5").await),
            Error::Forbidden,
            "a rep does not set rates"
        );
        fx.app.put_rate(&admin, "USD", &yesterday, "42,5").await.unwrap();
        let board = fx.app.deal_board(&rep, pipeline.id, 50).await.unwrap();
        let column = &board.columns[0];
        assert_eq!(column.total_minor, 150_000 + 425_000);
        assert_eq!(column.unpriced, 1);
        assert!(board.missing_rates.is_empty());
        assert_eq!(board.rates.len(), 1);

        let errors = field_errors(fx.app.put_rate(&admin, "XYZ", "2999-01-01", "sıfır").await);
        assert_eq!(errors, ["currency=invalid-currency", "date=invalid-date", "rate=invalid-rate"]);
    }

    async fn the_central_banks_file_is_read_and_kept(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await.actor();
        let manager = fx.user("manager", Role::SalesManager, Some("Kuzey")).await.actor();
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await.actor();
        let file = include_bytes!("data/tcmb-today.xml");
        assert_eq!(refusal(fx.app.import_tcmb_rates(&rep, file).await), Error::Forbidden);
        let rates = fx.app.import_tcmb_rates(&manager, file).await.unwrap();
        assert_eq!(rates.len(), 3);
        // The same file again replaces the day's rates rather than failing.
        fx.app.import_tcmb_rates(&admin, file).await.unwrap();
        let kept = fx.app.exchange_rates(&rep).await.unwrap();
        assert_eq!(kept.len(), 3);
        assert!(kept.iter().all(|r| r.source == "tcmb"));
        assert_eq!(
            field_errors(fx.app.import_tcmb_rates(&admin, b"<html>hata</html>").await),
            ["file=invalid-rates-file"]
        );
    }

    async fn a_lead_converts_into_one_deal_however_often_it_is_asked(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await.actor();
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await.actor();
        let company = CompanyBuilder::new("Çağlar Tekstil A.Ş.").create(&fx.app, &rep).await;
        let person = PersonBuilder::new("Işık", "Çağlar")
            .company(company.id)
            .stage(LifecycleStage::Lead)
            .create(&fx.app, &rep)
            .await;
        let lead = Link { record_type: LinkType::Person, record_id: person.id.0 };
        let conversion = || Conversion {
            amount: Some("48.000".into()),
            ..Conversion::default()
        };
        let (first, second) = tokio::join!(
            fx.app.convert_lead(&rep, lead, conversion()),
            fx.app.convert_lead(&rep, lead, conversion())
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(first.deal.id, second.deal.id, "two clicks make one deal");
        assert!(first.created != second.created);
        let deal = first.deal;
        assert_eq!(deal.fields.name, "Işık Çağlar");
        assert_eq!(deal.fields.person_id, Some(person.id));
        assert_eq!(deal.fields.company_id, Some(company.id));
        assert_eq!(deal.fields.amount.as_ref().unwrap().minor, 4_800_000);
        let pipeline = seeded(&fx.app, &rep).await;
        assert_eq!(deal.fields.stage_id, stage(&pipeline, StageKind::Open, 0));
        let person = fx.app.get::<People>(&rep, person.id).await.unwrap();
        assert_eq!(person.fields.lifecycle_stage, LifecycleStage::Opportunity);

        let again = fx.app.convert_lead(&rep, lead, Conversion::default()).await.unwrap();
        assert!(!again.created);
        assert_eq!(again.deal.id, deal.id);

        // Another rep cannot convert (nor learn of) the rep's lead.
        assert_eq!(refusal(fx.app.convert_lead(&colleague, lead, Conversion::default()).await), Error::NotFound);
    }

    async fn links_must_be_visible_and_stages_with_deals_stay(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await.actor();
        let rep = fx.user("rep", Role::SalesRep, Some("Kuzey")).await.actor();
        let colleague = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await.actor();
        let pipeline = seeded(&fx.app, &rep).await;
        let first = stage(&pipeline, StageKind::Open, 0);
        let hidden = CompanyBuilder::new("Başkasının Firması A.Ş.").create(&fx.app, &colleague).await;
        let refused = DealBuilder::new("Sızıntı", pipeline.id, first)
            .company(hidden.id)
            .try_create(&fx.app, &rep)
            .await;
        assert_eq!(field_errors(refused), ["company_id=invalid-company"]);

        let second = stage(&pipeline, StageKind::Open, 1);
        DealBuilder::new("Duran", pipeline.id, second).create(&fx.app, &rep).await;
        let mut draft = pipeline.draft();
        draft.stages.retain(|s| s.id != Some(second));
        let patch = rehber_app::pipelines::PipelinePatch {
            stages: Some(draft.stages),
            ..Default::default()
        };
        assert_eq!(
            refusal(fx.app.update_pipeline(&admin, pipeline.id, None, patch).await),
            Error::InvalidState("stage-has-deals")
        );
    }
}
