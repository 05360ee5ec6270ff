//! The OpenAPI document (`/api/v1/openapi.json`) and a human-readable reference page
//! (`/api/docs`) rendered on the server from the same document: no script, no CDN.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use serde_json::Value;
use std::sync::Arc;

/// The generated document (as JSON, finished by `api::document`), shared.
#[derive(Clone)]
pub struct ApiDocument(pub Arc<Value>);

impl std::fmt::Debug for ApiDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiDocument")
    }
}

pub async fn openapi_json(State(doc): State<ApiDocument>) -> Json<Value> {
    Json(doc.0.as_ref().clone())
}

struct OperationView {
    method: &'static str,
    path: String,
    summary: String,
    description: String,
    params: Vec<(String, String, bool)>,
    body: Option<String>,
    responses: Vec<(String, String)>,
}

struct SchemaView {
    name: String,
    fields: Vec<(String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "api/docs.html")]
pub struct DocsPage {
    title: String,
    version: String,
    description: String,
    operations: Vec<OperationView>,
    schemas: Vec<SchemaView>,
}

pub async fn docs_page(State(doc): State<ApiDocument>) -> DocsPage {
    // Walk the document as JSON: the page shows what clients see in openapi.json.
    let doc = doc.0.as_ref();
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in ["get", "post", "patch", "put", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let name = format!("{} ({})", text(p, "name"), text(p, "in"));
                        (
                            name,
                            text(p, "description"),
                            p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        )
                    })
                    .collect();
                let body = op.pointer("/requestBody/content").and_then(first_schema);
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(code, r)| {
                        let description = text(r, "description");
                        let line = match r.get("content").and_then(first_schema) {
                            Some(schema) if description.is_empty() => schema,
                            Some(schema) => format!("{description} — {schema}"),
                            None => description,
                        };
                        (code.clone(), line)
                    })
                    .collect();
                operations.push(OperationView {
                    method: method_label(method),
                    path: format!("/api/v1{path}"),
                    summary: text(op, "summary"),
                    description: text(op, "description"),
                    params,
                    body,
                    responses,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(all) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in all {
            let fields = schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(field, p)| (field.clone(), type_of(p), text(p, "description")))
                .collect();
            schemas.push(SchemaView {
                name: name.clone(),
                fields,
            });
        }
    }
    DocsPage {
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        version: doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        description: doc
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        operations,
        schemas,
    }
}

fn method_label(method: &str) -> &'static str {
    match method {
        "get" => "GET",
        "post" => "POST",
        "patch" => "PATCH",
        "put" => "PUT",
        _ => "DELETE",
    }
}

/// The schema name of the first media type of a content map.
fn first_schema(content: &Value) -> Option<String> {
    let schema = content.as_object()?.values().next()?.get("schema")?;
    Some(type_of(schema))
}

/// A readable type: a referenced schema's name, an array of it, or the JSON type(s).
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or("").to_string();
    }
    if let Some(items) = schema.get("items") {
        return format!("array of {}", type_of(items));
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => schema
            .get("oneOf")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(type_of).collect::<Vec<_>>().join(" | "))
            .unwrap_or_else(|| "object".to_string()),
    }
}
