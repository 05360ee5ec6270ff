//! Custom fields through the API on SQLite and PostgreSQL: definitions (administrators write,
//! everyone reads), values on people and companies in the documented shapes, refusals under
//! `custom.<key>` that store nothing, list filters and sort that keep the caller's scope.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, Reply, ids};
use rehber_domain::Role;
use rehber_testkit::{Fixtures, both_backends};
use serde_json::{Value, json};

fn sektor(record_type: &str) -> Value {
    json!({
        "record_type": record_type, "key": "sektor", "type": "choice",
        "label_tr": "Sektör", "label_en": "Industry", "required": false,
        "options": [
            {"key": "tekstil", "label_tr": "Tekstil", "label_en": "Textiles"},
            {"key": "gida", "label_tr": "Gıda", "label_en": "Food"}
        ]
    })
}

fn ciro(record_type: &str) -> Value {
    json!({"record_type": record_type, "key": "ciro", "type": "money", "label_tr": "Ciro", "label_en": "Turnover"})
}

async fn define(api: &Api, token: &str, body: Value) -> Reply {
    let reply = api
        .call(
            Method::POST,
            "/api/v1/custom-fields",
            Some(token),
            Some(body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply
}

async fn person(api: &Api, token: &str, name: &str, custom: Value) -> Reply {
    api.call(
        Method::POST,
        "/api/v1/people",
        Some(token),
        Some(json!({"first_name": name, "last_name": "Kaya", "custom": custom})),
    )
    .await
}

async fn names(api: &Api, token: &str, query: &str) -> Vec<String> {
    let reply = api
        .call(
            Method::GET,
            &format!("/api/v1/people?{query}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["first_name"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    async fn administrators_define_fields_and_everyone_reads_them(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin = api.token_for(&fx.admin().await).await;
        let rep = api.token_for(&fx.user("rep", Role::SalesRep, None).await).await;
        let reply = api.call(Method::POST, "/api/v1/custom-fields", Some(&rep), Some(sektor("person"))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(reply.content_type, "application/problem+json");
        let created = define(&api, &admin, sektor("person")).await;
        let id = created.body["id"].as_i64().unwrap();
        assert_eq!(created.body["type"], "choice");
        assert_eq!(created.body["options"][1]["label_en"], "Food");
        assert_eq!(created.header("location"), Some(format!("/api/v1/custom-fields/{id}").as_str()));
        // The same key again on the same kind is taken; on the other kind it is free.
        let again = api.call(Method::POST, "/api/v1/custom-fields", Some(&admin), Some(sektor("person"))).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(again.error_fields(), ["key"]);
        define(&api, &admin, sektor("company")).await;
        let list = api.call(Method::GET, "/api/v1/custom-fields?record_type=person", Some(&rep), None).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(ids(&list), [id]);
        let one = api.call(Method::GET, &format!("/api/v1/custom-fields/{id}"), Some(&rep), None).await;
        assert_eq!(one.body["key"], "sektor");
        // Bad definitions name every problem.
        let bad = api.call(Method::POST, "/api/v1/custom-fields", Some(&admin), Some(json!({
            "record_type": "ticket", "key": "Sek tor", "type": "colour", "label_tr": "", "label_en": ""
        }))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.error_fields(), ["record_type", "key", "type", "label_tr", "label_en"]);
        let unknown = api.call(Method::POST, "/api/v1/custom-fields", Some(&admin), Some(json!({"lable_tr": "x"}))).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unknown.error_fields(), ["lable_tr"]);
        // A label changes; the key and type cannot; a rep cannot change anything.
        let renamed = api.call(Method::PATCH, &format!("/api/v1/custom-fields/{id}"), Some(&admin), Some(json!({"label_en": "Sector"}))).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(renamed.body["label_en"], "Sector");
        assert_eq!(renamed.body["version"], 2);
        let rekey = api.call(Method::PATCH, &format!("/api/v1/custom-fields/{id}"), Some(&admin), Some(json!({"key": "other"}))).await;
        assert_eq!(rekey.status, StatusCode::UNPROCESSABLE_ENTITY);
        let by_rep = api.call(Method::PATCH, &format!("/api/v1/custom-fields/{id}"), Some(&rep), Some(json!({"label_en": "X"}))).await;
        assert_eq!(by_rep.status, StatusCode::FORBIDDEN);
        let delete_by_rep = api.call(Method::DELETE, &format!("/api/v1/custom-fields/{id}"), Some(&rep), None).await;
        assert_eq!(delete_by_rep.status, StatusCode::FORBIDDEN);
        // Deleting archives: gone from the default list, listed with archived=true.
        let deleted = api.call(Method::DELETE, &format!("/api/v1/custom-fields/{id}"), Some(&admin), None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let list = api.call(Method::GET, "/api/v1/custom-fields?record_type=person", Some(&admin), None).await;
        assert!(ids(&list).is_empty());
        let list = api.call(Method::GET, "/api/v1/custom-fields?record_type=person&archived=true", Some(&admin), None).await;
        assert_eq!(list.body["items"][0]["archived"], true);
        // Options a PATCH leaves out are archived, not removed.
        let company_field = api.call(Method::GET, "/api/v1/custom-fields?record_type=company", Some(&admin), None).await;
        let cid = ids(&company_field)[0];
        let fewer = api.call(Method::PATCH, &format!("/api/v1/custom-fields/{cid}"), Some(&admin), Some(json!({
            "options": [{"key": "gida", "label_tr": "Gıda", "label_en": "Food"}]
        }))).await;
        assert_eq!(fewer.status, StatusCode::OK, "{}", fewer.body);
        let options = fewer.body["options"].as_array().unwrap();
        assert_eq!(options.len(), 2);
        assert!(options.iter().any(|o| o["key"] == "tekstil" && o["archived"] == true));
    }

    async fn records_carry_their_custom_values_in_the_documented_shapes(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin_user = fx.admin().await;
        let admin = api.token_for(&admin_user).await;
        define(&api, &admin, sektor("person")).await;
        define(&api, &admin, ciro("person")).await;
        for (key, field_type) in [("etiketler", "multi_choice"), ("adet", "number"), ("tarih", "date"), ("aktif", "boolean"), ("tel", "phone"), ("site", "url"), ("eposta", "email"), ("not", "long_text")] {
            let mut body = json!({"record_type": "person", "key": key, "type": field_type, "label_tr": key, "label_en": key});
            if field_type == "multi_choice" {
                body["options"] = json!([{"key": "a", "label_tr": "A", "label_en": "A"}, {"key": "b", "label_tr": "B", "label_en": "B"}]);
            }
            if field_type == "number" {
                body["decimals"] = json!(2);
            }
            define(&api, &admin, body).await;
        }
        let created = person(&api, &admin, "Ayşe", json!({
            "sektor": "tekstil", "ciro": {"minor": 125000, "currency": "TRY"}, "etiketler": ["b", "a"],
            "adet": 12.345, "tarih": "2026-03-01", "aktif": true, "tel": "0532 123 45 67",
            "site": "rehber.example", "eposta": "ayse@example.com", "not": "satır 1\nsatır 2"
        })).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let custom = &created.body["custom"];
        assert_eq!(custom["sektor"], "tekstil");
        assert_eq!(custom["ciro"], json!({"minor": 125000, "currency": "TRY"}));
        assert_eq!(custom["etiketler"], json!(["b", "a"]));
        assert_eq!(custom["adet"], json!(12.35));
        assert_eq!(custom["tarih"], "2026-03-01");
        assert_eq!(custom["aktif"], true);
        assert_eq!(custom["tel"], "+905321234567");
        assert_eq!(custom["site"], "https://rehber.example");
        let id = created.body["id"].as_i64().unwrap();
        // PATCH changes only the keys given; null clears one.
        let patched = api.call(Method::PATCH, &format!("/api/v1/people/{id}"), Some(&admin), Some(json!({"custom": {"sektor": "gida", "aktif": null}}))).await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        assert_eq!(patched.body["custom"]["sektor"], "gida");
        assert!(patched.body["custom"].get("aktif").is_none());
        assert_eq!(patched.body["custom"]["ciro"]["minor"], 125000);
        // A person without values has an empty object.
        let plain = person(&api, &admin, "Can", json!({})).await;
        assert_eq!(plain.body["custom"], json!({}));
        // History records the change like a built-in field's.
        let history = fx.app.history::<rehber_domain::party::People>(&admin_user.actor(), rehber_domain::PersonId(id)).await.unwrap();
        assert!(history[0].changes.iter().any(|c| c.field == "custom.sektor" && c.from == "tekstil" && c.to == "gida"), "{:?}", history[0].changes);
        // A company takes its own fields.
        define(&api, &admin, ciro("company")).await;
        let company = api.call(Method::POST, "/api/v1/companies", Some(&admin), Some(json!({"name": "Kaya Tekstil", "custom": {"ciro": {"minor": 5}}}))).await;
        assert_eq!(company.status, StatusCode::CREATED, "{}", company.body);
        assert_eq!(company.body["custom"]["ciro"], json!({"minor": 5, "currency": "TRY"}));
    }

    async fn bad_custom_values_are_refused_by_key_and_nothing_is_stored(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin = api.token_for(&fx.admin().await).await;
        define(&api, &admin, sektor("person")).await;
        define(&api, &admin, ciro("person")).await;
        let mut required = json!({"record_type": "person", "key": "vergi_dairesi", "type": "text", "label_tr": "Vergi dairesi", "label_en": "Tax office", "required": true});
        define(&api, &admin, required.take()).await;
        for (key, ty) in [("eposta", "email"), ("tel", "phone"), ("site", "url")] {
            define(&api, &admin, json!({"record_type": "person", "key": key, "type": ty, "label_tr": key, "label_en": key})).await;
        }
        let reply = person(&api, &admin, "Ali", json!({
            "sektor": "madencilik", "ciro": "çok", "yok": 1, "eposta": "x@", "tel": "12", "site": "not a site"
        })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert_eq!(reply.content_type, "application/problem+json");
        let mut fields = reply.error_fields();
        fields.sort();
        assert_eq!(fields, ["custom.ciro", "custom.eposta", "custom.sektor", "custom.site", "custom.tel", "custom.vergi_dairesi", "custom.yok"]);
        let listed = api.call(Method::GET, "/api/v1/people", Some(&admin), None).await;
        assert!(ids(&listed).is_empty(), "nothing was stored");
        // An archived option cannot be chosen, and the type must fit.
        let id = api.call(Method::GET, "/api/v1/custom-fields?record_type=person", Some(&admin), None).await.body["items"][0]["id"].as_i64().unwrap();
        api.call(Method::PATCH, &format!("/api/v1/custom-fields/{id}"), Some(&admin), Some(json!({"options": [{"key": "gida", "label_tr": "Gıda", "label_en": "Food"}]}))).await;
        let reply = person(&api, &admin, "Ali", json!({"vergi_dairesi": "Kadıköy", "sektor": "tekstil", "ciro": {"minor": 1.5}})).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let codes: Vec<&str> = reply.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"invalid-archived-option"), "{codes:?}");
        let ok = person(&api, &admin, "Ali", json!({"vergi_dairesi": "Kadıköy"})).await;
        assert_eq!(ok.status, StatusCode::CREATED);
        // A PATCH cannot clear a required field; an unknown key on PATCH is refused too.
        let pid = ok.body["id"].as_i64().unwrap();
        let reply = api.call(Method::PATCH, &format!("/api/v1/people/{pid}"), Some(&admin), Some(json!({"custom": {"vergi_dairesi": null}}))).await;
        assert_eq!(reply.error_fields(), ["custom.vergi_dairesi"]);
        let reply = api.call(Method::PATCH, &format!("/api/v1/people/{pid}"), Some(&admin), Some(json!({"custom": {"sektr": "gida"}}))).await;
        assert_eq!(reply.error_fields(), ["custom.sektr"]);
        let reply = api.call(Method::GET, &format!("/api/v1/people/{pid}"), Some(&admin), None).await;
        assert_eq!(reply.body["version"], 1, "refused patches changed nothing");
    }

    async fn lists_filter_and_sort_on_custom_fields_within_the_callers_scope(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin = api.token_for(&fx.admin().await).await;
        let rep_a = api.token_for(&fx.user("rep_a", Role::SalesRep, None).await).await;
        let rep_b = api.token_for(&fx.user("rep_b", Role::SalesRep, None).await).await;
        define(&api, &admin, sektor("person")).await;
        define(&api, &admin, ciro("person")).await;
        define(&api, &admin, json!({"record_type": "person", "key": "not", "type": "text", "label_tr": "Not", "label_en": "Note"})).await;
        for (token, name, sector, minor) in [
            (&rep_a, "Ayla", "tekstil", 2_000_000),
            (&rep_a, "Banu", "tekstil", 500_000),
            (&rep_a, "Cem", "gida", 9_000_000),
            (&rep_b, "Deniz", "tekstil", 7_000_000),
        ] {
            let reply = person(&api, token, name, json!({"sektor": sector, "ciro": {"minor": minor}, "not": format!("{name} Çağlar notu")})).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        }
        person(&api, &rep_a, "Emre", json!({})).await;
        assert_eq!(names(&api, &rep_a, "custom.sektor=tekstil").await, ["Ayla", "Banu"]);
        assert_eq!(names(&api, &admin, "custom.sektor=tekstil").await, ["Ayla", "Banu", "Deniz"]);
        assert_eq!(names(&api, &rep_a, "custom.ciro_gte=1000000").await, ["Ayla", "Cem"]);
        assert_eq!(names(&api, &rep_a, "custom.ciro_gte=1000000&custom.ciro_lte=5000000").await, ["Ayla"]);
        assert_eq!(names(&api, &rep_a, "custom.ciro%5Blte%5D=600000").await, ["Banu"]);
        assert_eq!(names(&api, &rep_a, "custom.not_contains=caglar").await.len(), 3);
        assert_eq!(names(&api, &rep_a, "custom.sektor_empty=true").await, ["Emre"]);
        // The record search finds custom text.
        assert_eq!(names(&api, &admin, "q=deniz").await, ["Deniz"]);
        assert_eq!(names(&api, &rep_a, "q=ayla%20notu").await, ["Ayla"]);
        // Sort on a custom field, valueless records last either way, paged by cursor.
        assert_eq!(names(&api, &rep_a, "sort=custom.ciro").await, ["Banu", "Ayla", "Cem", "Emre"]);
        assert_eq!(names(&api, &rep_a, "sort=-custom.ciro").await, ["Cem", "Ayla", "Banu", "Emre"]);
        assert_eq!(names(&api, &admin, "sort=-custom.ciro").await, ["Cem", "Deniz", "Ayla", "Banu", "Emre"]);
        let mut walked = Vec::new();
        let mut query = "sort=-custom.ciro&limit=2".to_string();
        loop {
            let reply = api.call(Method::GET, &format!("/api/v1/people?{query}"), Some(&admin), None).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            walked.extend(reply.body["items"].as_array().unwrap().iter().map(|p| p["first_name"].as_str().unwrap().to_string()));
            match reply.body["next_cursor"].as_str() {
                Some(c) => query = format!("sort=-custom.ciro&limit=2&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(walked, ["Cem", "Deniz", "Ayla", "Banu", "Emre"]);
        assert_eq!(names(&api, &rep_a, "sort=custom.sektor").await, ["Cem", "Ayla", "Banu", "Emre"]);
        // Rep B sees only Deniz through every custom door.
        assert_eq!(names(&api, &rep_b, "custom.sektor=tekstil").await, ["Deniz"]);
        assert_eq!(names(&api, &rep_b, "sort=custom.ciro").await, ["Deniz"]);
        assert!(names(&api, &rep_b, "custom.sektor=gida").await.is_empty());
        // Unknown fields, bad values and bad sorts are 422 by name.
        for (query, field) in [
            ("custom.sektr=tekstil", "custom.sektr"),
            ("custom.ciro_gte=abc", "custom.ciro_gte"),
            ("custom.sektor_gte=a", "custom.sektor_gte"),
            ("custom.sektor_empty=maybe", "custom.sektor_empty"),
            ("sort=custom.nope", "sort"),
            ("sort=custom.ciro&cursor=5.tzz", "cursor"),
        ] {
            let reply = api.call(Method::GET, &format!("/api/v1/people?{query}"), Some(&admin), None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", reply.body);
            assert_eq!(reply.error_fields(), [field], "{query}");
        }
    }

    async fn a_filter_rule_joins_built_in_and_custom_tests_with_and_or(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let admin = api.token_for(&fx.admin().await).await;
        let rep_a = api.token_for(&fx.user("rep_a", Role::SalesRep, None).await).await;
        let rep_b = api.token_for(&fx.user("rep_b", Role::SalesRep, None).await).await;
        define(&api, &admin, sektor("person")).await;
        define(&api, &admin, ciro("person")).await;
        for (token, name, city, custom) in [
            (&rep_a, "Ayla", "İzmir", json!({"sektor": "gida"})),
            (&rep_a, "Banu", "Ankara", json!({"sektor": "tekstil", "ciro": {"minor": 9_000_000}})),
            (&rep_a, "Cem", "Bursa", json!({})),
            (&rep_b, "Deniz", "İzmir", json!({"sektor": "tekstil"})),
        ] {
            let body = json!({"first_name": name, "last_name": "Kaya", "city": city, "custom": custom});
            let reply = api.call(Method::POST, "/api/v1/people", Some(token), Some(body)).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        }
        let filter = |rule: Value| format!("filter={}", common::encode(&rule.to_string()));
        let izmir_or_textiles = filter(json!({"any": [
            {"field": "city", "op": "eq", "value": "izmir"},
            {"field": "custom.sektor", "op": "eq", "value": "tekstil"}
        ]}));
        assert_eq!(names(&api, &admin, &izmir_or_textiles).await, ["Ayla", "Banu", "Deniz"]);
        assert_eq!(names(&api, &rep_a, &izmir_or_textiles).await, ["Ayla", "Banu"], "the rule keeps the scope");
        assert_eq!(names(&api, &rep_b, &izmir_or_textiles).await, ["Deniz"]);
        let rich_or_no_sector = filter(json!({"any": [
            {"field": "custom.ciro", "op": "gte", "value": 5_000_000},
            {"field": "custom.sektor", "op": "empty"}
        ]}));
        assert_eq!(names(&api, &admin, &rich_or_no_sector).await, ["Banu", "Cem"]);
        // The other filters hold besides the rule, and a search narrows it.
        assert_eq!(names(&api, &admin, &format!("{izmir_or_textiles}&city=Ankara")).await, ["Banu"]);
        assert_eq!(names(&api, &admin, &format!("{izmir_or_textiles}&q=deniz")).await, ["Deniz"]);
        // A rule that cannot be read or resolved is a 422 naming the test.
        for (rule, field, code) in [
            ("{".to_string(), "filter", "invalid-filter"),
            (json!({"any": []}).to_string(), "filter", "invalid-filter"),
            (json!({"field": "sehir", "op": "eq", "value": "x"}).to_string(), "filter.sehir", "invalid-filter-field"),
            (json!({"field": "custom.ciro", "op": "contains", "value": "1"}).to_string(), "filter.custom.ciro", "invalid-filter-operator"),
            (json!({"field": "custom.ciro", "op": "gte", "value": "çok"}).to_string(), "filter.custom.ciro", "invalid-amount"),
            (json!({"field": "created_at", "op": "gte", "value": "dün"}).to_string(), "filter.created_at", "invalid-date"),
        ] {
            let query = format!("/api/v1/people?filter={}", common::encode(&rule));
            let reply = api.call(Method::GET, &query, Some(&admin), None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{rule}: {}", reply.body);
            assert_eq!(reply.error_fields(), [field], "{rule}");
            assert_eq!(reply.body["errors"][0]["code"], code, "{rule}");
        }
        // Companies have no company to filter or sort on.
        let query = format!("/api/v1/companies?{}", filter(json!({"field": "company_id", "op": "empty"})));
        let reply = api.call(Method::GET, &query, Some(&admin), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        let reply = api.call(Method::GET, "/api/v1/companies?sort=company", Some(&admin), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert_eq!(reply.error_fields(), ["sort"]);
        // People sort on their city, within the caller's scope.
        assert_eq!(names(&api, &admin, "sort=city").await, ["Banu", "Cem", "Ayla", "Deniz"]);
        assert_eq!(names(&api, &rep_a, "sort=-city").await, ["Ayla", "Cem", "Banu"]);
    }

    async fn the_document_describes_custom_values_and_the_field_endpoints(db) {
        let fx = Fixtures::new(db);
        let api = Api::new(&fx.app);
        let reply = api.call(Method::GET, "/api/v1/openapi.json", None, None).await;
        let doc = &reply.body;
        assert!(doc["paths"]["/custom-fields"]["post"].is_object());
        assert!(doc["paths"]["/custom-fields/{id}"]["patch"].is_object());
        assert!(doc["paths"]["/custom-fields/{id}"]["delete"].is_object());
        assert!(doc["components"]["schemas"]["PersonResponse"]["properties"]["custom"].is_object());
        assert!(doc["components"]["schemas"]["PersonRequest"]["properties"]["custom"].is_object());
        assert!(doc["components"]["schemas"]["CompanyResponse"]["properties"]["custom"].is_object());
    }
}
