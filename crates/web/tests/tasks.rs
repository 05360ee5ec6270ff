//! Tasks and "Bugün" through the router, on SQLite and PostgreSQL: `/api/v1/tasks` and
//! `/api/v1/me/agenda` (the contract's round trip: create with a date or a time, complete,
//! change with a version, delete; the day's agenda), a sales rep reaching none of a
//! colleague's tasks by any door, bad input answered as problem documents naming the field;
//! and the "Bugün" and tasks pages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, ids};
use rehber_domain::Role;
use rehber_testkit::{CompanyBuilder, Fixtures, PersonBuilder, both_backends};
use serde_json::{Value, json};

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    async fn a_task_round_trips_through_the_api_and_lands_in_the_agenda_of_its_day(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let company = CompanyBuilder::new("Anadolu Tekstil").create(&fx.app, &rep.actor()).await;
        let person = PersonBuilder::new("Işık", "Çağlar").company(company.id).create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;

        let created = api.call(Method::POST, "/api/v1/tasks", Some(&token), Some(json!({
            "title": "Teklifi ara", "due_date": "2026-12-07", "priority": "high",
            "links": [{"record_type": "person", "record_id": person.id.0}]
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.header("location"), Some(format!("/api/v1/tasks/{id}").as_str()));
        assert_eq!((created.body["due_date"].as_str(), created.body["due_at"].as_str()), (Some("2026-12-07"), None));
        assert_eq!(created.body["assignee_id"], rep.id.0);
        assert_eq!(created.body["status"], "open");
        assert_eq!(created.body["links"], json!([
            {"record_type": "person", "record_id": person.id.0, "automatic": false},
            {"record_type": "company", "record_id": company.id.0, "automatic": true},
        ]));
        let timed = api.call(Method::POST, "/api/v1/tasks", Some(&token), Some(json!({
            "title": "Sabah araması", "due_at": "2026-12-07T09:00:00+03:00", "assignee_id": rep.id.0
        }))).await;
        assert_eq!(timed.status, StatusCode::CREATED, "{:?}", timed.body);
        assert_eq!(timed.body["due_at"], "2026-12-07T06:00:00Z", "stored and answered in UTC");
        let overdue = api.call(Method::POST, "/api/v1/tasks", Some(&token), Some(json!({"title": "Unutulan", "due_date": "2026-12-01"}))).await;
        assert_eq!(overdue.body["overdue"], true);
        let visit = api.call(Method::POST, "/api/v1/activities", Some(&token), Some(json!({
            "kind": "visit", "status": "planned", "subject": "Fabrika ziyareti", "starts_at": "2026-12-07T14:00:00+03:00",
            "links": [{"record_type": "company", "record_id": company.id.0}]
        }))).await;
        assert_eq!(visit.status, StatusCode::CREATED);

        let agenda = api.call(Method::GET, "/api/v1/me/agenda?date=2026-12-07", Some(&token), None).await;
        assert_eq!(agenda.status, StatusCode::OK, "{:?}", agenda.body);
        assert_eq!(agenda.body["date"], "2026-12-07");
        assert_eq!(titles(&agenda.body["overdue"]), ["Unutulan"]);
        assert_eq!(titles(&agenda.body["tasks"]), ["Teklifi ara", "Sabah araması"]);
        assert_eq!(agenda.body["activities"][0]["subject"], "Fabrika ziyareti");
        let listed = api.call(Method::GET, &format!("/api/v1/tasks?record_type=company&record_id={}", company.id.0), Some(&token), None).await;
        assert_eq!(ids(&listed), [id]);
        let ranged = api.call(Method::GET, "/api/v1/tasks?due_from=2026-12-07&due_to=2026-12-07", Some(&token), None).await;
        assert_eq!(titles(&ranged.body["items"]), ["Teklifi ara", "Sabah araması"]);

        let changed = api.call_raw(Method::PATCH, &format!("/api/v1/tasks/{id}"), Some(&token),
            Some(json!({"due_at": "2026-12-08T10:00:00+03:00"}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        assert_eq!((changed.body["due_date"].as_str(), changed.body["due_at"].as_str()), (None, Some("2026-12-08T07:00:00Z")));
        let stale = api.call_raw(Method::PATCH, &format!("/api/v1/tasks/{id}"), Some(&token),
            Some(json!({"title": "Eski"}).to_string()), &[("if-match", "\"1\"")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let done = api.call(Method::POST, &format!("/api/v1/tasks/{id}/complete"), Some(&token), None).await;
        assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
        assert_eq!((done.body["status"].as_str(), done.body["completed_by"].as_i64()), (Some("done"), Some(rep.id.0)));
        let open = api.call(Method::GET, "/api/v1/tasks?status=open", Some(&token), None).await;
        assert_eq!(titles(&open.body["items"]), ["Unutulan", "Sabah araması"]);

        let deleted = api.call(Method::DELETE, &format!("/api/v1/tasks/{id}"), Some(&token), None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let gone = api.call(Method::GET, &format!("/api/v1/tasks/{id}"), Some(&token), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }

    async fn a_sales_rep_reaches_none_of_a_colleagues_tasks_through_the_api(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Ali", "Kaya").create(&fx.app, &rep_a.actor()).await;
        let api = Api::new(&fx.app);
        let token_a = api.token_for(&rep_a).await;
        let token_b = api.token_for(&rep_b).await;
        let created = api.call(Method::POST, "/api/v1/tasks", Some(&token_a), Some(json!({
            "title": "Gizli iş", "due_date": "2026-12-01",
            "links": [{"record_type": "person", "record_id": person.id.0}]
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        let one = format!("/api/v1/tasks/{id}");
        for (method, uri, body) in [
            (Method::GET, one.clone(), None),
            (Method::PATCH, one.clone(), Some(json!({"title": "sızma"}))),
            (Method::POST, format!("{one}/complete"), None),
            (Method::DELETE, one.clone(), None),
        ] {
            let reply = api.call(method.clone(), &uri, Some(&token_b), body).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {uri}");
            assert_eq!(reply.content_type, "application/problem+json");
        }
        for uri in ["/api/v1/tasks".to_string(), format!("/api/v1/tasks?record_type=person&record_id={}", person.id.0), format!("/api/v1/tasks?assignee_id={}", rep_a.id.0)] {
            let reply = api.call(Method::GET, &uri, Some(&token_b), None).await;
            assert_eq!(ids(&reply), Vec::<i64>::new(), "{uri}");
        }
        let agenda = api.call(Method::GET, "/api/v1/me/agenda?date=2026-12-07", Some(&token_b), None).await;
        assert_eq!((agenda.body["overdue"].as_array().unwrap().len(), agenda.body["tasks"].as_array().unwrap().len()), (0, 0));
        // Rep A cannot hand the task to rep B either: rep B cannot see the customer.
        let handing = api.call(Method::PATCH, &one, Some(&token_a), Some(json!({"assignee_id": rep_b.id.0}))).await;
        assert_eq!(handing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(handing.error_fields(), ["assignee_id"]);
        let mine = api.call(Method::GET, "/api/v1/me/agenda?date=2026-12-07", Some(&token_a), None).await;
        assert_eq!(titles(&mine.body["overdue"]), ["Gizli iş"]);
    }

    async fn bad_task_input_is_a_problem_document_naming_the_field(db) {
        let fx = Fixtures::new(db);
        let admin = fx.admin().await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&admin).await;
        for (body, field) in [
            (json!({"due_date": "2026-12-07"}), "title"),
            (json!({"title": "x", "due_date": "07.12.2026"}), "due_date"),
            (json!({"title": "x", "due_date": "2026-12-07", "due_at": "2026-12-07T10:00:00Z"}), "due_at"),
            (json!({"title": "x", "due_date": "2026-12-07", "reminder_at": "2026-12-09T10:00:00Z"}), "reminder_at"),
            (json!({"title": "x", "priority": "urgent"}), "priority"),
            (json!({"title": "x", "assignee_id": 987_654}), "assignee_id"),
            (json!({"title": "x", "links": [{"record_type": "person", "record_id": 987_654}]}), "links[0].record_id"),
            (json!({"title": "x", "notes": "n".repeat(5_001)}), "notes"),
            (json!({"title": "x", "colour": "red"}), "colour"),
        ] {
            let reply = api.call(Method::POST, "/api/v1/tasks", Some(&token), Some(body.clone())).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", reply.body);
            assert_eq!(reply.content_type, "application/problem+json");
            assert_eq!(reply.error_fields(), [field], "{body}");
        }
        for (uri, status, field) in [
            ("/api/v1/me/agenda?date=yarın", StatusCode::UNPROCESSABLE_ENTITY, "date"),
            ("/api/v1/me/agenda?day=2026-12-07", StatusCode::UNPROCESSABLE_ENTITY, "day"),
            ("/api/v1/tasks?status=later", StatusCode::UNPROCESSABLE_ENTITY, "status"),
            ("/api/v1/tasks?due_from=dün", StatusCode::UNPROCESSABLE_ENTITY, "due_from"),
            ("/api/v1/tasks?limit=501", StatusCode::UNPROCESSABLE_ENTITY, "limit"),
            ("/api/v1/tasks?cursor=zzz", StatusCode::UNPROCESSABLE_ENTITY, "cursor"),
            ("/api/v1/tasks?assignee_id=abc", StatusCode::BAD_REQUEST, "assignee_id"),
        ] {
            let reply = api.call(Method::GET, uri, Some(&token), None).await;
            assert_eq!(reply.status, status, "{uri}: {:?}", reply.body);
            assert_eq!(reply.error_fields(), [field], "{uri}");
        }
        let listed = api.call(Method::GET, "/api/v1/tasks", Some(&token), None).await;
        assert_eq!(ids(&listed), Vec::<i64>::new(), "nothing was stored");
    }
}

mod pages {
    use super::common::browser::Browser;
    use super::common::server::TestServer;
    use axum::http::StatusCode;
    use rehber_domain::Role;
    use rehber_domain::task::TaskInput;
    use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};

    both_backends! {
        async fn bugun_is_a_reps_home_and_its_buttons_complete_and_snooze_tasks(db) {
            let fx = Fixtures::new(db);
            let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
            let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
            let person = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep_a.actor()).await;
            let today = fx.app.today();
            let old = fx.app.create_task(&rep_a.actor(), &TaskInput {
                title: "Geciken teklif".into(), due_date: "2026-01-05".into(),
                links: vec![("person".into(), person.id.0)], ..TaskInput::default()
            }).await.unwrap();
            fx.app.create_task(&rep_b.actor(), &TaskInput { title: "B'nin işi".into(), due_date: today.to_string(), ..TaskInput::default() }).await.unwrap();
            let server = TestServer::spawn(&fx.app);
            let browser = Browser::signed_in(&server, &rep_a, PASSWORD).await;

            let home = browser.get("/").await;
            assert_eq!(home.status, StatusCode::SEE_OTHER);
            assert_eq!(home.location(), "/today");
            let page = browser.get("/today").await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains(r#"id="today-overdue""#) && page.body.contains("Geciken teklif"), "{}", page.body);
            assert!(page.body.contains("Işık Çağlar"), "the linked person is named");
            assert!(!page.body.contains("B'nin işi"), "another rep's task never shows");

            // Quick add: due today, on the day's list.
            let added = browser.post("/tasks", &[("title", "Numune gönder"), ("due_date", &today.to_string()), ("priority", "high"), ("back", "/today")]).await;
            assert_eq!(added.status, StatusCode::SEE_OTHER);
            assert_eq!(added.location(), "/today?notice=notice-task-saved");
            let page = browser.get(&added.location()).await;
            assert!(page.body.contains("Numune gönder") && page.body.contains("The task was added."), "{}", page.body);
            // A refusal keeps what was typed and names the field.
            let refused = browser.post("/tasks", &[("title", ""), ("due_date", "yarın"), ("back", "/today")]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(refused.body.contains("field-error") && refused.body.contains(r#"value="yarın""#), "{}", refused.body);

            // +1 day moves the overdue task to tomorrow; done takes it off.
            let snoozed = browser.post(&format!("/tasks/{}/snooze", old.id.0), &[("days", "1"), ("back", "/today")]).await;
            assert_eq!(snoozed.status, StatusCode::SEE_OTHER);
            let page = browser.get("/today").await;
            assert!(!page.body.contains("Geciken teklif"), "moved to tomorrow");
            let tomorrow = browser.get(&format!("/today?date={}", today.tomorrow().unwrap())).await;
            assert!(tomorrow.body.contains("Geciken teklif"));
            let done = browser.post(&format!("/tasks/{}/complete", old.id.0), &[("back", "//evil.example")]).await;
            assert_eq!(done.location(), "/today?notice=notice-task-done", "only local pages are returned to");
            let other = Browser::signed_in(&server, &rep_b, PASSWORD).await;
            let denied = other.post(&format!("/tasks/{}/complete", old.id.0), &[("back", "/today")]).await;
            assert_eq!(denied.status, StatusCode::NOT_FOUND);
        }

        async fn the_tasks_list_filters_and_bulk_completes_only_what_the_user_may(db) {
            let fx = Fixtures::new(db);
            let manager = fx.user("manager-n", Role::SalesManager, Some("Kuzey")).await;
            let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
            let rep_c = fx.user("rep-c", Role::SalesRep, Some("Güney")).await;
            let mut ids = Vec::new();
            for (who, title) in [(&rep_a, "Kuzey işi 1"), (&rep_a, "Kuzey işi 2"), (&rep_c, "Güney işi")] {
                let task = fx.app.create_task(&who.actor(), &TaskInput { title: title.into(), due_date: "2026-01-05".into(), ..TaskInput::default() }).await.unwrap();
                ids.push(task.id.0.to_string());
            }
            let server = TestServer::spawn(&fx.app);
            let browser = Browser::signed_in(&server, &manager, PASSWORD).await;
            let mine = browser.get("/tasks").await;
            assert!(mine.body.contains("No tasks match"), "the manager has none of their own");
            let team = browser.get("/tasks?who=all&due=overdue").await;
            assert!(team.body.contains("Kuzey işi 1") && team.body.contains("Kuzey işi 2"));
            assert!(!team.body.contains("Güney işi"), "another team's task never shows");
            let fields: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", id.as_str())).chain([("action", "complete"), ("back", "/tasks?who=all")]).collect();
            let bulk = browser.post("/tasks/bulk", &fields).await;
            assert_eq!(bulk.status, StatusCode::SEE_OTHER);
            assert_eq!(bulk.location(), "/tasks?who=all&notice=notice-tasks-some-changed");
            let open = browser.get("/tasks?who=all").await;
            assert!(!open.body.contains("Kuzey işi"), "both completed");
            let rep_c_view = Browser::signed_in(&server, &rep_c, PASSWORD).await;
            assert!(rep_c_view.get("/tasks").await.body.contains("Güney işi"), "untouched");
        }
    }
}
