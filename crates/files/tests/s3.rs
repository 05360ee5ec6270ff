//! The file store against a real S3-compatible service: moto's server (`moto_server`, pinned
//! in `scripts/moto-requirements.txt`), started on a free port for the test. `scripts/test`
//! installs it and sets `REHBER_TEST_MOTO_SERVER`; without that variable `moto_server` is
//! looked up on the `PATH`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::Bytes;
use futures_util::TryStreamExt;
use rehber_files::{Files, FilesError, S3Credentials, S3Location};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A moto server for one test, stopped when dropped.
struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn start() -> Moto {
        let program =
            std::env::var("REHBER_TEST_MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {program} ({e}): the S3 tests need moto's server; \
                     scripts/test installs it, or `pip install 'moto[server]'`"
                )
            });
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a bucket (moto accepts an unsigned request; object_store cannot create one).
    fn bucket(&self, name: &str) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "PUT /{name} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    fn files(&self, url: &str) -> Files {
        let location = S3Location::parse(&format!(
            "{url}?endpoint={}&region=us-east-1&allow_http=true",
            self.endpoint()
        ))
        .unwrap();
        let keys = S3Credentials {
            access_key_id: "rehber-test".into(),
            secret_access_key: "rehber-test-secret".into(),
        };
        Files::s3(&location, Some(&keys)).unwrap()
    }
}

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

async fn read(files: &Files, key: &str) -> Vec<u8> {
    let parts: Vec<Bytes> = files.get(key).await.unwrap().try_collect().await.unwrap();
    parts.concat()
}

#[tokio::test]
async fn a_bucket_keeps_each_file_once_under_its_hash_and_refuses_what_the_folder_refuses() {
    let moto = Moto::start();
    moto.bucket("rehber-files");
    let files = moto.files("s3://rehber-files/istanbul");
    files.check().await.unwrap();

    let first = files
        .put(chunks(&[b"Teklif ", b"TKF-2026-000123"]), 100)
        .await
        .unwrap();
    assert_eq!(first.size, 22);
    assert_eq!(read(&files, &first.key).await, b"Teklif TKF-2026-000123");
    let again = files
        .put(chunks(&[b"Teklif TKF-", b"2026-000123"]), 100)
        .await
        .unwrap();
    assert_eq!(again, first, "the same bytes, the same key");
    assert_eq!(
        files.count().await.unwrap(),
        1,
        "stored once, nothing temporary left"
    );
    assert!(files.exists(&first.key).await.unwrap());

    // The prefix keeps Rehber's keys apart from anything else in the bucket.
    let whole = moto.files("s3://rehber-files");
    assert!(
        whole
            .exists(&format!("istanbul/{}", first.key))
            .await
            .unwrap()
    );

    let over = files.put(chunks(&[b"12345", b"67890", b"x"]), 10).await;
    assert!(matches!(over, Err(FilesError::TooLarge { limit: 10 })));
    assert!(matches!(
        files.put(chunks(&[]), 10).await,
        Err(FilesError::Empty)
    ));
    assert_eq!(
        files.count().await.unwrap(),
        1,
        "nothing of a refused file stays"
    );
}

#[tokio::test]
async fn a_bucket_that_does_not_exist_fails_the_check_at_start() {
    let moto = Moto::start();
    let files = moto.files("s3://no-such-bucket");
    assert!(matches!(files.check().await, Err(FilesError::Store(_))));
}
