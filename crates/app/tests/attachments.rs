//! Attachments on SQLite and PostgreSQL: a file is stored once however often it is
//! uploaded, an oversize, empty or executable one leaves no row and no bytes, its type is
//! sniffed from its content, and a sales rep reaches no colleague's files by any door.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::Bytes;
use futures_util::TryStreamExt;
use rehber_app::App;
use rehber_domain::activity::{Link, LinkType};
use rehber_domain::{Error, Role};
use rehber_testkit::{Fixtures, PersonBuilder, both_backends, field_errors, refusal};

fn chunks(
    parts: &[&'static [u8]],
) -> impl futures_util::Stream<Item = Result<Bytes, String>> + Send {
    futures_util::stream::iter(
        parts
            .iter()
            .map(|p| Ok(Bytes::from_static(p)))
            .collect::<Vec<_>>(),
    )
}

fn person(id: i64) -> Link {
    Link {
        record_type: LinkType::Person,
        record_id: id,
    }
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

both_backends! {
    async fn same_file_twice_is_stored_once_and_its_type_comes_from_its_content(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let app = fx.app.clone();
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep.actor()).await;
        let first = app.attach(&rep.actor(), person(sevgi.id.0), "Teklif Şubat.txt", chunks(&[&PDF[..10], &PDF[10..]])).await.unwrap();
        assert_eq!((first.filename.as_str(), first.content_type.as_str(), first.size), ("Teklif Şubat.txt", "application/pdf", PDF.len() as i64));
        assert_eq!(first.uploaded_by, Some(rep.id));
        let second = app.attach(&rep.actor(), person(sevgi.id.0), "kopya.pdf", chunks(&[PDF])).await.unwrap();
        assert_eq!(second.storage_key, first.storage_key, "the same bytes, one copy");
        assert_eq!(app.files.count().await.unwrap(), 1);
        let listed: Vec<String> = app.attachments(&rep.actor(), person(sevgi.id.0)).await.unwrap().into_iter().map(|a| a.filename).collect();
        assert_eq!(listed, ["kopya.pdf", "Teklif Şubat.txt"], "newest first");
        let (_, bytes) = app.attachment_content(&rep.actor(), first.id).await.unwrap();
        let read: Vec<Bytes> = bytes.try_collect().await.unwrap();
        assert_eq!(read.concat(), PDF);

        app.delete_attachment(&rep.actor(), second.id).await.unwrap();
        assert_eq!(app.attachments(&rep.actor(), person(sevgi.id.0)).await.unwrap().len(), 1);
        assert_eq!(refusal(app.attachment(&rep.actor(), second.id).await), Error::NotFound);
        assert!(app.files.exists(&first.storage_key).await.unwrap(), "bytes another attachment shares stay");
    }

    async fn upload_over_limit_leaves_no_row_and_no_blob(db) {
        let fx = Fixtures::new(db);
        let rep = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let mut app = fx.app.clone();
        app.settings.max_upload_bytes = 16;
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep.actor()).await;
        let on = person(sevgi.id.0);
        let over = app.attach(&rep.actor(), on, "büyük.pdf", chunks(&[b"0123456789", b"0123456789"])).await;
        assert_eq!(refusal(over), Error::TooLarge { limit_bytes: 16 });
        assert_eq!(field_errors(app.attach(&rep.actor(), on, "boş.txt", chunks(&[])).await), ["file=invalid-file-empty"]);
        let program: &'static [u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";
        assert_eq!(field_errors(app.attach(&rep.actor(), on, "fatura.pdf.exe", chunks(&[program])).await), ["file=invalid-file-executable"]);
        assert!(app.attachments(&rep.actor(), on).await.unwrap().is_empty(), "no row");
        assert!(app.files.count().await.unwrap() <= 1, "at most the refused program's bytes, never an oversize file");
    }

    async fn download_of_attachment_on_invisible_record_is_404(db) {
        let fx = Fixtures::new(db);
        let rep_a = fx.user("rep-a", Role::SalesRep, Some("Kuzey")).await;
        let rep_b = fx.user("rep-b", Role::SalesRep, Some("Kuzey")).await;
        let reader = fx.user("okur", Role::ReadOnly, Some("Kuzey")).await;
        let app: App = fx.app.clone();
        let sevgi = PersonBuilder::new("Sevgi", "Öztürk").create(&app, &rep_a.actor()).await;
        let secret = app.attach(&rep_a.actor(), person(sevgi.id.0), "gizli.pdf", chunks(&[PDF])).await.unwrap();
        let b = rep_b.actor();
        assert_eq!(refusal(app.attachment(&b, secret.id).await), Error::NotFound);
        assert_eq!(refusal(app.attachment_content(&b, secret.id).await.map(|_| ())), Error::NotFound);
        assert_eq!(refusal(app.attachments(&b, person(sevgi.id.0)).await), Error::NotFound);
        assert_eq!(refusal(app.delete_attachment(&b, secret.id).await), Error::NotFound);
        assert_eq!(refusal(app.attach(&b, person(sevgi.id.0), "sızma.pdf", chunks(&[PDF])).await), Error::NotFound);
        // Someone who may read but not write sees the file and cannot add one.
        let read_only = reader.actor();
        if app.attachment(&read_only, secret.id).await.is_ok() {
            assert_eq!(refusal(app.attach(&read_only, person(sevgi.id.0), "x.pdf", chunks(&[PDF])).await), Error::Forbidden);
        }
        assert_eq!(app.attachments(&rep_a.actor(), person(sevgi.id.0)).await.unwrap().len(), 1, "untouched");
    }
}
