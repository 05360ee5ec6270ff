//! Attachments in an S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, a provider's
//! object storage) instead of the data directory: for several Rehber instances that share
//! one PostgreSQL and must see the same files, or for servers without a lasting disk.
//!
//! Where: `files_url = "s3://bucket/optional/prefix?endpoint=…&region=…&allow_http=true"`.
//! Credentials never go in that URL: they come from the standard `AWS_ACCESS_KEY_ID` and
//! `AWS_SECRET_ACCESS_KEY` variables (and the other `AWS_*` ones object_store reads), so a
//! configuration file can be shown or committed without a secret in it.

use crate::{Files, FilesError};
use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as StorePath;
use object_store::prefix::PrefixStore;
use std::sync::Arc;

/// A bucket and where in it, parsed from a `files_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Keys are written under it (`rehber/prod`), without slashes at either end.
    pub prefix: String,
    /// The service's address for S3-compatible stores (`https://s3.example.com`); AWS
    /// itself needs none.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Plain HTTP to the endpoint (a store on the same private network).
    pub allow_http: bool,
}

impl S3Location {
    /// Reads `s3://bucket[/prefix][?endpoint=…&region=…&allow_http=true]`.
    pub fn parse(url: &str) -> Result<S3Location, FilesError> {
        // The message leaves the URL out: a mistaken one may hold a secret.
        let refuse = |why: &str| FilesError::Location(why.to_string());
        let rest = url
            .trim()
            .strip_prefix("s3://")
            .ok_or_else(|| refuse("an S3 location starts with s3://"))?;
        let (place, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = place.split_once('/').unwrap_or((place, ""));
        if bucket.is_empty() {
            return Err(refuse("the bucket name is missing (s3://bucket/prefix)"));
        }
        let mut location = S3Location {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            endpoint: None,
            region: None,
            allow_http: false,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "endpoint" => location.endpoint = Some(value.to_string()),
                "region" => location.region = Some(value.to_string()),
                "allow_http" => {
                    location.allow_http = match value {
                        "true" | "1" | "yes" => true,
                        "false" | "0" | "no" => false,
                        _ => return Err(refuse("allow_http is true or false")),
                    }
                }
                "access_key_id" | "secret_access_key" => {
                    return Err(refuse(
                        "credentials belong in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL",
                    ));
                }
                other => {
                    return Err(refuse(&format!(
                        "unknown option {other:?} (known: endpoint, region, allow_http)"
                    )));
                }
            }
        }
        if let Some(endpoint) = &location.endpoint
            && !(endpoint.starts_with("https://") || endpoint.starts_with("http://"))
        {
            return Err(refuse("endpoint is an http:// or https:// address"));
        }
        Ok(location)
    }
}

/// Keys for an S3-compatible store when they are not taken from the environment (tests).
#[derive(Clone, PartialEq, Eq)]
pub struct S3Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .finish()
    }
}

impl Files {
    /// Files kept in an S3-compatible bucket. Settings the location leaves out (region,
    /// credentials) come from the `AWS_*` environment unless `credentials` are given.
    /// Nothing is contacted yet: [`Files::check`] does that.
    pub fn s3(
        location: &S3Location,
        credentials: Option<&S3Credentials>,
    ) -> Result<Files, FilesError> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&location.bucket);
        if let Some(endpoint) = &location.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &location.region {
            builder = builder.with_region(region);
        }
        if location.allow_http {
            builder = builder.with_allow_http(true);
        }
        if let Some(keys) = credentials {
            builder = builder
                .with_access_key_id(&keys.access_key_id)
                .with_secret_access_key(&keys.secret_access_key);
        }
        let bucket = builder.build()?;
        let store: Arc<dyn ObjectStore> = if location.prefix.is_empty() {
            Arc::new(bucket)
        } else {
            Arc::new(PrefixStore::new(
                bucket,
                StorePath::from(location.prefix.as_str()),
            ))
        };
        Ok(Files { store })
    }

    /// Writes, reads and removes a small object, so that a store that cannot be used (a
    /// wrong bucket, refused keys, an unreachable endpoint) stops the start rather than
    /// losing uploads later.
    pub async fn check(&self) -> Result<(), FilesError> {
        let probe = StorePath::from(".rehber-write-check");
        self.store.put(&probe, b"ok".to_vec().into()).await?;
        self.store.get(&probe).await?.bytes().await?;
        self.store.delete(&probe).await?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_location_names_its_bucket_prefix_and_options() {
        let at = S3Location::parse(
            "s3://rehber-files/istanbul/prod/?endpoint=http://10.0.0.5:9000&region=tr-ist-1&allow_http=true",
        )
        .unwrap();
        assert_eq!(at.bucket, "rehber-files");
        assert_eq!(at.prefix, "istanbul/prod");
        assert_eq!(at.endpoint.as_deref(), Some("http://10.0.0.5:9000"));
        assert_eq!(at.region.as_deref(), Some("tr-ist-1"));
        assert!(at.allow_http);
        let plain = S3Location::parse("s3://rehber").unwrap();
        assert_eq!((plain.prefix.as_str(), plain.allow_http), ("", false));
    }

    #[test]
    fn a_location_without_a_bucket_with_a_secret_or_an_unknown_option_is_refused() {
        for wrong in [
            "https://bucket",
            "s3://",
            "s3:///prefix",
            "s3://b?secret_access_key=x",
            "s3://b?endpont=http://x",
            "s3://b?endpoint=s3.example.com",
            "s3://b?allow_http=maybe",
        ] {
            assert!(
                matches!(S3Location::parse(wrong), Err(FilesError::Location(_))),
                "{wrong}"
            );
        }
    }

    #[test]
    fn keys_are_shown_without_the_secret() {
        let keys = S3Credentials {
            access_key_id: "AKIA".into(),
            secret_access_key: "gizli-anahtar".into(),
        };
        assert!(!format!("{keys:?}").contains("gizli"));
    }
}
