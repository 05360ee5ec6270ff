//! Attachments through the router, on SQLite and PostgreSQL: the contract's round trip
//! (multipart upload, list, download as an attachment with `nosniff` and a Turkish file
//! name intact, delete), 413 over the cap and 422 for an empty file with nothing kept, a
//! sales rep reaching none of a colleague's files by any door; and the page's card, which
//! uploads with htmx and serves pictures inline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::browser::Browser;
use common::server::TestServer;
use common::{Api, content_type, multipart};
use rehber_domain::Role;
use rehber_testkit::{Fixtures, PASSWORD, PersonBuilder, both_backends};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

both_backends! {
    async fn a_file_round_trips_through_the_api_as_a_download(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&fx.app, &rep.actor()).await;
        let api = Api::new(&fx.app);
        let token = api.token_for(&rep).await;
        let uri = format!("/api/v1/people/{}/attachments", person.id.0);

        let body = multipart("file", "Şubat teklifi.pdf", b"%PDF-1.7\nteklif\n%%EOF\n");
        let created = api.send(Method::POST, &uri, Some(&token), Body::from(body), &[("content-type", &content_type())]).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        assert_eq!(created.body["filename"], "Şubat teklifi.pdf");
        assert_eq!(created.body["size"], 22);
        assert_eq!(created.body["content_type"], "application/pdf");
        let id = created.body["id"].as_i64().unwrap();
        let listed = api.call(Method::GET, &uri, Some(&token), None).await;
        assert_eq!(listed.body["items"][0]["id"], id);

        let download = api.server.send(Request::get(format!("/api/v1/attachments/{id}/download")).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()).await;
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.body().as_ref(), b"%PDF-1.7\nteklif\n%%EOF\n");
        let headers = download.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''%C5%9Eubat%20teklifi.pdf"), "{disposition}");
        let inline = api.server.send(Request::get(format!("/api/v1/attachments/{id}/download?inline=true")).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()).await;
        assert!(inline.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("inline;"), "a PDF may be previewed");
        assert_eq!(inline.headers()[header::CONTENT_TYPE], "application/pdf");

        let html = api.send(Method::POST, &uri, Some(&token), Body::from(multipart("file", "sayfa.html", b"<script>alert(1)</script>")), &[("content-type", &content_type())]).await;
        let html_id = html.body["id"].as_i64().unwrap();
        let shown = api.server.send(Request::get(format!("/api/v1/attachments/{html_id}/download?inline=true")).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()).await;
        assert!(shown.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"), "HTML is never shown inline");

        assert_eq!(api.call(Method::DELETE, &format!("/api/v1/attachments/{id}"), Some(&token), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(api.call(Method::GET, &format!("/api/v1/attachments/{id}/download"), Some(&token), None).await.status, StatusCode::NOT_FOUND);
    }

    async fn an_oversize_or_empty_upload_is_refused_and_nothing_is_kept(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let mut app = fx.app.clone();
        app.settings.max_upload_bytes = 64 * 1024;
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep.actor()).await;
        let api = Api::new(&app);
        let token = api.token_for(&rep).await;
        let uri = format!("/api/v1/people/{}/attachments", person.id.0);
        let big = vec![b'x'; 64 * 1024 + 1];
        let over = api.send_refused(Method::POST, &uri, Some(&token), || Body::from(multipart("file", "büyük.bin", &big)), &[("content-type", &content_type())]).await;
        assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE, "{:?}", over.body);
        assert_eq!(over.content_type, "application/problem+json");
        let huge = vec![b'x'; 300 * 1024];
        let far_over = api.send_refused(Method::POST, &uri, Some(&token), || Body::from(multipart("file", "dev.bin", &huge)), &[("content-type", &content_type())]).await;
        assert_eq!(far_over.status, StatusCode::PAYLOAD_TOO_LARGE);
        let empty = api.send(Method::POST, &uri, Some(&token), Body::from(multipart("file", "boş.txt", b"")), &[("content-type", &content_type())]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(empty.error_fields(), ["file"]);
        let no_file = api.send(Method::POST, &uri, Some(&token), Body::from(multipart("belge", "x.txt", b"x")), &[("content-type", &content_type())]).await;
        assert_eq!((no_file.status, no_file.error_fields()), (StatusCode::UNPROCESSABLE_ENTITY, vec!["file".to_string()]));
        let listed = api.call(Method::GET, &uri, Some(&token), None).await;
        assert!(listed.body["items"].as_array().unwrap().is_empty(), "no row");
        assert_eq!(app.files.count().await.unwrap(), 0, "no bytes");
    }

    async fn a_sales_rep_reaches_no_colleagues_files_by_any_door(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Sevgi", "Öztürk").create(&fx.app, &rep_a.actor()).await;
        let api = Api::new(&fx.app);
        let a = api.token_for(&rep_a).await;
        let b = api.token_for(&rep_b).await;
        let uri = format!("/api/v1/people/{}/attachments", person.id.0);
        let created = api.send(Method::POST, &uri, Some(&a), Body::from(multipart("file", "gizli.pdf", b"%PDF-1.7 gizli")), &[("content-type", &content_type())]).await;
        let id = created.body["id"].as_i64().unwrap();
        for (method, path) in [
            (Method::GET, uri.clone()),
            (Method::GET, format!("/api/v1/attachments/{id}/download")),
            (Method::DELETE, format!("/api/v1/attachments/{id}")),
        ] {
            assert_eq!(api.call(method.clone(), &path, Some(&b), None).await.status, StatusCode::NOT_FOUND, "{method} {path}");
        }
        let upload = api.send(Method::POST, &uri, Some(&b), Body::from(multipart("file", "x.pdf", b"%PDF")), &[("content-type", &content_type())]).await;
        assert_eq!(upload.status, StatusCode::NOT_FOUND);
        let browser = Browser::signed_in(&api.server, &rep_b, PASSWORD).await;
        assert_eq!(browser.get(&format!("/api/v1/attachments/{id}/download")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(browser.htmx_get(&format!("/people/{}/attachments", person.id.0)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(browser.post(&format!("/attachments/{id}/delete"), &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(api.call(Method::GET, &uri, Some(&a), None).await.body["items"].as_array().unwrap().len(), 1, "untouched");
    }

    async fn the_page_card_uploads_with_htmx_and_shows_pictures(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let person = PersonBuilder::new("Işık", "Çağlar").create(&fx.app, &rep.actor()).await;
        let server = TestServer::spawn(&fx.app);
        let browser = Browser::signed_in(&server, &rep, PASSWORD).await;
        let page = browser.get(&format!("/people/{}", person.id.0)).await;
        assert!(page.body.contains("id=\"card-attachments\"") && page.body.contains("data-dropzone"), "the card is on the page");
        assert!(page.body.contains(&format!("action=\"/people/{}/attachments?_csrf=", person.id.0)), "a form sent without htmx carries its token");
        let request = Request::post(format!("/people/{}/attachments", person.id.0))
            .header(header::CONTENT_TYPE, content_type())
            .header("hx-request", "true");
        let card = browser.send(request, Body::from(multipart("file", "logo.png", PNG))).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.body);
        assert!(card.body.starts_with("<section") && card.body.contains("logo.png"), "only the card: {}", card.body);
        assert!(card.body.contains("class=\"attachment-thumb\""), "a picture has a thumbnail");
        // The thumbnail is served through the session.
        let id: i64 = card.body.split("/api/v1/attachments/").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
        let thumb = browser.get(&format!("/api/v1/attachments/{id}/download?inline=true")).await;
        assert_eq!(thumb.status, StatusCode::OK);
        assert_eq!(thumb.headers[header::CONTENT_TYPE], "image/png");
        // Without the token a post is refused, and the upload's body is never read for it.
        let anonymous = Request::post(format!("/people/{}/attachments", person.id.0)).header(header::CONTENT_TYPE, content_type());
        let stranger = Browser::new(&server);
        let refused = stranger.send(anonymous, Body::from(multipart("file", "x.png", PNG))).await;
        assert!(refused.status == StatusCode::FORBIDDEN || refused.location().starts_with("/login"), "{}", refused.status);
    }
}
