//! Lead scoring and qualification through the API, on SQLite and PostgreSQL: administrators
//! keep rules on any field (custom fields included) and on engagement; a person's score
//! comes with its breakdown and is worked out on save, when a meeting is logged, and for
//! everyone by a job with progress when the rules change; the night's job scores what no
//! save touched. The BANT gate keeps "qualified" for leads with enough checks, and
//! "unqualified" needs a reason. Sales reps neither read nor change the rules and see only
//! their own people's scores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, Reply};
use rehber_domain::Role;
use rehber_domain::party::People;
use rehber_testkit::{Fixtures, PersonBuilder, both_backends};
use serde_json::{Value, json};

fn days_ago(days: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days)).to_string()
}

/// The breakdown as (rule name, points), in the rules' order.
fn breakdown(person: &Value) -> Vec<(String, i64)> {
    person["lead_score_breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["name"].as_str().unwrap().to_string(),
                item["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn line(name: &str, points: i64) -> (String, i64) {
    (name.to_string(), points)
}

async fn post(api: &Api, token: &str, uri: &str, body: Value) -> Reply {
    api.call(Method::POST, uri, Some(token), Some(body)).await
}

both_backends! {
    async fn rules_on_fields_and_engagement_score_people_with_their_breakdown(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let admin_token = api.token_for(&admin).await;
        let rep_token = api.token_for(&rep).await;

        // The two engagement rules every new installation starts with.
        let rules = api.call(Method::GET, "/api/v1/scoring-rules", Some(&admin_token), None).await;
        assert_eq!(rules.status, StatusCode::OK, "{:?}", rules.body);
        let seeded: Vec<&str> = rules.body["items"].as_array().unwrap().iter()
            .filter(|r| r["record_type"] == "person")
            .map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(seeded, ["Son 30 günde toplantı yapıldı", "90 gündür hiç etkileşim yok"]);

        let field = json!({"record_type": "person", "key": "butce", "type": "number", "label_tr": "Bütçe", "label_en": "Budget"});
        assert_eq!(post(&api, &admin_token, "/api/v1/custom-fields", field).await.status, StatusCode::CREATED);
        let izmir = post(&api, &admin_token, "/api/v1/scoring-rules", json!({
            "record_type": "person", "name": "İzmirli", "kind": "field",
            "condition": {"field": "city", "op": "eq", "value": "İZMİR"}, "points": 20
        })).await;
        assert_eq!(izmir.status, StatusCode::CREATED, "{:?}", izmir.body);
        assert_eq!(izmir.body["window_days"], Value::Null);
        let izmir_id = izmir.body["id"].as_i64().unwrap();
        let budget = post(&api, &admin_token, "/api/v1/scoring-rules", json!({
            "record_type": "person", "name": "Bütçesi büyük", "kind": "field",
            "condition": {"all": [{"field": "custom.butce", "op": "gte", "value": 100000}]}, "points": 30
        })).await;
        assert_eq!(budget.status, StatusCode::CREATED, "{:?}", budget.body);
        assert_eq!(budget.body["position"], 4);

        // Saved: the field rules and "no activity for 90 days" apply at once.
        let person = post(&api, &rep_token, "/api/v1/people", json!({
            "first_name": "Işıl", "last_name": "Çağlayan", "city": "İzmir", "custom": {"butce": 250000}
        })).await;
        assert_eq!(person.status, StatusCode::CREATED, "{:?}", person.body);
        let id = person.body["id"].as_i64().unwrap();
        assert_eq!(person.body["lead_score"], 30);
        assert_eq!(breakdown(&person.body), [
            line("90 gündür hiç etkileşim yok", -20), line("İzmirli", 20), line("Bütçesi büyük", 30),
        ]);
        assert!(person.body["lead_scored_at"].is_string());
        assert_eq!(person.body["version"], 1, "scoring does not move the version");

        // A meeting held three days ago: +15, and the person is no longer idle.
        let links = json!([{"record_type": "person", "record_id": id}]);
        let meeting = post(&api, &rep_token, "/api/v1/activities", json!({
            "kind": "meeting", "subject": "Tanışma", "status": "done", "outcome": "held",
            "starts_at": days_ago(3), "links": links
        })).await;
        assert_eq!(meeting.status, StatusCode::CREATED, "{:?}", meeting.body);
        let uri = format!("/api/v1/people/{id}");
        let read = api.call(Method::GET, &uri, Some(&rep_token), None).await;
        assert_eq!(read.body["lead_score"], 65);
        assert_eq!(breakdown(&read.body), [
            line("Son 30 günde toplantı yapıldı", 15), line("İzmirli", 20), line("Bütçesi büyük", 30),
        ]);

        // A meeting that did not take place, or one long ago, is no engagement.
        let other = post(&api, &rep_token, "/api/v1/people", json!({"first_name": "Şükrü", "city": "Ankara"})).await;
        let other_id = other.body["id"].as_i64().unwrap();
        let other_links = json!([{"record_type": "person", "record_id": other_id}]);
        for (outcome, when) in [("no_show", days_ago(2)), ("held", days_ago(45))] {
            let reply = post(&api, &rep_token, "/api/v1/activities", json!({
                "kind": "meeting", "subject": "Ziyaret", "status": "done", "outcome": outcome,
                "starts_at": when, "links": other_links
            })).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        }
        let read = api.call(Method::GET, &format!("/api/v1/people/{other_id}"), Some(&rep_token), None).await;
        assert_eq!(read.body["lead_score"], 0);
        assert_eq!(breakdown(&read.body), Vec::<(String, i64)>::new(), "held 45 days ago: not idle for 90 days, no meeting in 30");

        // A change of the rules queues one recalculation of everyone, with its progress.
        let reply = api.call(Method::PATCH, &format!("/api/v1/scoring-rules/{izmir_id}"), Some(&admin_token), Some(json!({"points": 40}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["version"], 2);
        let stale = api.call(Method::PATCH, &format!("/api/v1/scoring-rules/{izmir_id}"), Some(&admin_token), Some(json!({"points": 10, "version": 1}))).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let moved = api.call(Method::PATCH, &format!("/api/v1/scoring-rules/{izmir_id}"), Some(&admin_token), Some(json!({"record_type": "company"}))).await;
        assert_eq!(moved.error_fields(), ["record_type"]);
        let same = api.call(Method::PATCH, &format!("/api/v1/scoring-rules/{izmir_id}"), Some(&admin_token), Some(json!({"record_type": "person", "points": 40}))).await;
        assert_eq!(same.status, StatusCode::OK, "the same type sent back: {:?}", same.body);
        assert_eq!(same.body["version"], 2, "nothing changed");
        let queued = api.call(Method::POST, "/api/v1/scoring-rules/recalculate", Some(&admin_token), None).await;
        assert_eq!(queued.status, StatusCode::ACCEPTED, "{:?}", queued.body);
        assert_eq!(queued.body["status"], "queued");
        let job = queued.body["job_id"].as_i64().unwrap();
        let read = api.call(Method::GET, &uri, Some(&rep_token), None).await;
        assert_eq!(read.body["lead_score"], 65, "not yet worked out again");
        let runs = fx.app.drain_jobs("test").await.unwrap();
        assert_eq!(runs.iter().filter(|r| r.kind == "scoring_recalculate").count(), 1, "the changes share one waiting job");
        let progress = api.call(Method::GET, &format!("/api/v1/scoring-rules/recalculations/{job}"), Some(&admin_token), None).await;
        assert_eq!(progress.status, StatusCode::OK, "{:?}", progress.body);
        assert_eq!(progress.body["status"], "done");
        assert_eq!(progress.body["done"], 2);
        assert_eq!(progress.body["total"], 2);
        let read = api.call(Method::GET, &uri, Some(&rep_token), None).await;
        assert_eq!(read.body["lead_score"], 85);

        // The hottest leads first, page by page.
        let first = api.call(Method::GET, "/api/v1/people?sort=-lead_score&limit=1", Some(&rep_token), None).await;
        assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
        assert_eq!(common::ids(&first), [id]);
        let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
        let second = api.call(Method::GET, &format!("/api/v1/people?sort=-lead_score&limit=1&cursor={cursor}"), Some(&rep_token), None).await;
        assert_eq!(common::ids(&second), [other_id]);
        let coldest = api.call(Method::GET, "/api/v1/people?sort=lead_score", Some(&rep_token), None).await;
        assert_eq!(common::ids(&coldest), [other_id, id]);

        // Kept within 0 and 100, and a deleted rule's points go at the recalculation.
        let reply = api.call(Method::DELETE, &format!("/api/v1/scoring-rules/{izmir_id}"), Some(&admin_token), None).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        fx.app.drain_jobs("test").await.unwrap();
        let read = api.call(Method::GET, &uri, Some(&rep_token), None).await;
        assert_eq!(read.body["lead_score"], 45);
        let reply = api.call(Method::GET, &format!("/api/v1/scoring-rules/{izmir_id}"), Some(&admin_token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }

    async fn bad_rules_are_refused_by_name_and_reps_keep_out(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let colleague = fx.user("colleague", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let admin_token = api.token_for(&admin).await;
        let rep_token = api.token_for(&rep).await;

        for (body, fields) in [
            (json!({"record_type": "deal", "name": "x", "kind": "field", "condition": {"field": "city", "op": "eq", "value": "x"}, "points": 5}), vec!["record_type"]),
            (json!({"record_type": "person", "name": "", "kind": "field", "condition": {"field": "city", "op": "eq", "value": "x"}, "points": 0}), vec!["name", "points"]),
            (json!({"record_type": "person", "name": "x", "kind": "field", "condition": {"field": "custom.yok", "op": "eq", "value": "x"}, "points": 5}), vec!["condition.custom.yok"]),
            (json!({"record_type": "company", "name": "x", "kind": "field", "condition": {"field": "company_id", "op": "eq", "value": "1"}, "points": 5}), vec!["condition.company_id"]),
            (json!({"record_type": "person", "name": "x", "kind": "field", "condition": {"field": "city"}, "points": 5}), vec!["condition"]),
            (json!({"record_type": "person", "name": "x", "kind": "engagement", "condition": {"activity": "meeting"}, "points": 5}), vec!["window_days"]),
            (json!({"record_type": "person", "name": "x", "kind": "engagement", "condition": {"activity": "fax"}, "window_days": 30, "points": 5}), vec!["condition"]),
            (json!({"record_type": "person", "name": "x", "kind": "guess", "condition": {}, "points": 101}), vec!["kind", "points"]),
        ] {
            let reply = post(&api, &admin_token, "/api/v1/scoring-rules", body.clone()).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
            assert_eq!(reply.content_type, "application/problem+json");
            assert_eq!(reply.error_fields(), fields, "{body}");
        }
        let reply = api.call_raw(Method::POST, "/api/v1/scoring-rules", Some(&admin_token), Some("{nope".into()), &[]).await;
        assert!(reply.status.is_client_error());

        // Reps neither read nor change the rules, nor start or follow a recalculation.
        let rule = json!({"record_type": "person", "name": "x", "kind": "field", "condition": {"field": "tag", "op": "eq", "value": "vip"}, "points": 5});
        for (method, uri, body) in [
            (Method::GET, "/api/v1/scoring-rules", None),
            (Method::POST, "/api/v1/scoring-rules", Some(rule)),
            (Method::GET, "/api/v1/scoring-rules/1", None),
            (Method::DELETE, "/api/v1/scoring-rules/1", None),
            (Method::POST, "/api/v1/scoring-rules/recalculate", None),
            (Method::PUT, "/api/v1/settings/qualification", Some(json!({"bant_gate": 0}))),
        ] {
            let reply = api.call(method.clone(), uri, Some(&rep_token), body).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {uri}");
        }

        // A colleague's person, and their score with it, stays out of sight.
        let theirs = PersonBuilder::new("Öğüt", "İğdır").city("İzmir").create(&fx.app, &colleague.actor()).await;
        let reply = api.call(Method::GET, &format!("/api/v1/people/{}", theirs.id.0), Some(&rep_token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = api.call(Method::GET, "/api/v1/people", Some(&rep_token), None).await;
        assert_eq!(reply.body["items"], json!([]));
    }

    async fn the_bant_gate_guards_qualified_and_unqualified_needs_a_reason(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let rep = fx.user("rep", Role::SalesRep, None).await;
        let api = Api::new(&fx.app);
        let admin_token = api.token_for(&admin).await;
        let rep_token = api.token_for(&rep).await;

        let reply = api.call(Method::GET, "/api/v1/settings/qualification", Some(&rep_token), None).await;
        assert_eq!(reply.body, json!({"bant_gate": 3}));

        let two = json!({"first_name": "Ayşe", "lifecycle_stage": "qualified", "bant_budget": true, "bant_need": true});
        let reply = post(&api, &rep_token, "/api/v1/people", two).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["lifecycle_stage", "bant_authority", "bant_timing"]);
        assert_eq!(reply.body["errors"][0]["code"], "invalid-bant-gate-3");
        let three = json!({"first_name": "Ayşe", "lifecycle_stage": "qualified", "bant_budget": true, "bant_need": true, "bant_timing": true});
        let reply = post(&api, &rep_token, "/api/v1/people", three).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let qualified = format!("/api/v1/people/{}", reply.body["id"]);

        // Moving an existing lead in is guarded the same way; the lead is left as it was.
        let lead = post(&api, &rep_token, "/api/v1/people", json!({"first_name": "Can", "bant_budget": true})).await;
        let lead_uri = format!("/api/v1/people/{}", lead.body["id"]);
        let reply = api.call(Method::PATCH, &lead_uri, Some(&rep_token), Some(json!({"lifecycle_stage": "qualified"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = api.call(Method::GET, &lead_uri, Some(&rep_token), None).await;
        assert_eq!(reply.body["lifecycle_stage"], "lead");

        // A stricter gate: new moves need four; who is qualified already stays so.
        let reply = api.call(Method::PUT, "/api/v1/settings/qualification", Some(&admin_token), Some(json!({"bant_gate": 4}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        let reply = api.call(Method::PATCH, &qualified, Some(&rep_token), Some(json!({"notes": "Bütçe onaylandı"}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["lifecycle_stage"], "qualified");
        let reply = api.call(Method::PATCH, &lead_uri, Some(&rep_token), Some(json!({"lifecycle_stage": "qualified", "bant_authority": true, "bant_need": true}))).await;
        assert_eq!(reply.body["errors"][0]["code"], "invalid-bant-gate-4", "{:?}", reply.body);
        for gate in [json!(5), json!(-1)] {
            let reply = api.call(Method::PUT, "/api/v1/settings/qualification", Some(&admin_token), Some(json!({"bant_gate": gate}))).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(reply.error_fields(), ["bant_gate"]);
        }
        let reply = api.call(Method::PUT, "/api/v1/settings/qualification", Some(&admin_token), Some(json!({"bant_gate": 0}))).await;
        assert_eq!(reply.body, json!({"bant_gate": 0}));
        let reply = api.call(Method::PATCH, &lead_uri, Some(&rep_token), Some(json!({"lifecycle_stage": "qualified"}))).await;
        assert_eq!(reply.status, StatusCode::OK, "no gate: {:?}", reply.body);

        // "Unqualified" needs a reason, and keeps it.
        let reply = api.call(Method::PATCH, &lead_uri, Some(&rep_token), Some(json!({"lead_status": "unqualified"}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error_fields(), ["unqualified_reason"]);
        let reply = api.call(Method::PATCH, &lead_uri, Some(&rep_token), Some(json!({"lead_status": "unqualified", "unqualified_reason": "Bütçesi yok"}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        assert_eq!(reply.body["unqualified_reason"], "Bütçesi yok");
        let company = post(&api, &rep_token, "/api/v1/companies", json!({"name": "Ölmez A.Ş.", "lead_status": "unqualified"})).await;
        assert_eq!(company.error_fields(), ["unqualified_reason"]);
    }

    async fn the_nights_job_scores_what_no_save_touched(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        // Written straight to the store, as an import or an older release would.
        let id = PersonBuilder::new("Çağrı", "Öz")
            .insert(fx.store(), Default::default())
            .await;
        let uri = format!("/api/v1/people/{}", id.0);
        let before = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(before.body["lead_score"], 0);
        assert!(before.body.get("lead_scored_at").is_none(), "{:?}", before.body);

        fx.app.queue_housekeeping(std::time::Duration::from_secs(3600)).await.unwrap();
        fx.app.drain_jobs("test").await.unwrap();
        let after = api.call(Method::GET, &uri, Some(&token), None).await;
        assert!(after.body["lead_scored_at"].is_string(), "{:?}", after.body);
        assert_eq!(breakdown(&after.body), [line("90 gündür hiç etkileşim yok", -20)]);
        let person = fx.app.get::<People>(&admin.actor(), id).await.unwrap();
        assert_eq!(person.lead_score.breakdown.len(), 1);
    }
}
