//! The OpenAPI document's finishing touches, applied once when the router is built: the
//! bounds, formats and required fields the server enforces, written from the same constants
//! validation reads (`rehber_domain::party::limits`, the choice lists, the list parameters),
//! and the error responses every operation can give. Generated clients then send only what
//! the server takes, and the document cannot drift from the checks.
//!
//! utoipa derives shapes; numbers that live in the domain are set here, on the document as
//! JSON, rather than copied into attributes by hand.

use super::{MAX_CURSOR, MAX_PAGE};
use rehber_domain::party::limits::{self, TextLimit};
use rehber_domain::party::{CompanySize, LeadSource, LeadStatus, LifecycleStage};
use serde_json::{Map, Value, json};

/// The document with every bound, requirement and error response in place.
pub fn finish(mut doc: Value) -> Value {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, operation) in item.iter_mut() {
                bound_parameters(operation);
                add_error_responses(path, method, operation);
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        bound_body(schemas, "PersonRequest", limits::PERSON_TEXT);
        bound_body(schemas, "CompanyRequest", limits::COMPANY_TEXT);
        add_create_schema(
            schemas,
            "PersonRequest",
            "NewPersonRequest",
            limits::PERSON_TEXT,
        );
        add_create_schema(
            schemas,
            "CompanyRequest",
            "NewCompanyRequest",
            limits::COMPANY_TEXT,
        );
    }
    for (path, schema) in [
        ("/people", "NewPersonRequest"),
        ("/companies", "NewCompanyRequest"),
    ] {
        let pointer = format!(
            "/paths/{}/post/requestBody/content/application~1json/schema",
            path.replace('/', "~1")
        );
        if let Some(body) = doc.pointer_mut(&pointer) {
            *body = json!({ "$ref": format!("#/components/schemas/{schema}") });
        }
    }
    doc
}

fn ids(values: impl IntoIterator<Item = &'static str>) -> Vec<Value> {
    values.into_iter().map(Value::from).collect()
}

/// Query parameters as `api::list_request` reads them.
fn bound_parameters(operation: &mut Value) {
    let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for parameter in parameters {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut) else {
            continue;
        };
        match name.as_str() {
            "q" => set(schema, "maxLength", limits::SEARCH),
            "tag" => set(schema, "maxLength", limits::TAG),
            "city" => set(schema, "maxLength", limits::PLACE),
            "id" | "owner_id" | "team_id" | "company_id" => set(schema, "minimum", 1),
            "limit" => {
                set(schema, "minimum", 1);
                set(schema, "maximum", MAX_PAGE);
                set(schema, "default", 50);
            }
            "cursor" => {
                set(schema, "maxLength", MAX_CURSOR);
                set(
                    schema,
                    "pattern",
                    "^[1-9][0-9]*\\.(z|n[-+.0-9eE]+|t?[0-9a-f]*)$",
                );
            }
            "sort" => set(
                schema,
                "pattern",
                "^-?(name|created_at|updated_at|custom\\.[a-z][a-z0-9_]{0,39})$",
            ),
            "lifecycle_stage" => set(
                schema,
                "enum",
                ids(LifecycleStage::ALL.iter().map(|s| s.as_str())),
            ),
            _ => {}
        }
    }
}

fn set(schema: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    schema.insert(key.to_string(), value.into());
}

/// A request body's fields: text lengths, list sizes, choices and formats.
fn bound_body(schemas: &mut Map<String, Value>, name: &str, text: &[TextLimit]) {
    // Unknown fields are refused (422), so the document says no other property is allowed.
    if let Some(schema) = schemas.get_mut(name).and_then(Value::as_object_mut) {
        set(schema, "additionalProperties", false);
    }
    let Some(properties) = schemas
        .get_mut(name)
        .and_then(|s| s.get_mut("properties"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut field = |key: &str, apply: &dyn Fn(&mut Map<String, Value>)| {
        if let Some(schema) = properties.get_mut(key).and_then(Value::as_object_mut) {
            apply(schema);
        }
    };
    for limit in text {
        field(limit.field, &|s| set(s, "maxLength", limit.max_chars));
    }
    field("email", &|s| {
        set(s, "maxLength", limits::EMAIL);
        set(s, "format", "idn-email");
    });
    field("phone", &|s| set(s, "maxLength", limits::PHONE_TYPED));
    field("birthday", &|s| set(s, "format", "date"));
    for (list, max_items, item_length) in [
        ("emails", limits::EMAILS, limits::EMAIL),
        ("phones", limits::PHONES, limits::PHONE_TYPED),
        ("tags", limits::TAGS, limits::TAG),
    ] {
        field(list, &|s| {
            set(s, "maxItems", max_items);
            if let Some(items) = s.get_mut("items").and_then(Value::as_object_mut) {
                set(items, "maxLength", item_length);
                if list == "emails" {
                    set(items, "format", "idn-email");
                }
            }
        });
    }
    // An empty string clears a choice; `null` (like an absent field) keeps it.
    let choice = |values: Vec<Value>| {
        let mut values = values;
        values.push(Value::from(""));
        values.push(Value::Null);
        values
    };
    let stages = choice(ids(LifecycleStage::ALL.iter().map(|s| s.as_str())));
    field("lifecycle_stage", &|s| set(s, "enum", stages.clone()));
    let statuses = choice(ids(LeadStatus::ALL.iter().map(|s| s.as_str())));
    field("lead_status", &|s| set(s, "enum", statuses.clone()));
    let sources = choice(ids(LeadSource::ALL.iter().map(|s| s.as_str())));
    field("lead_source", &|s| set(s, "enum", sources.clone()));
    let sizes = choice(ids(CompanySize::ALL.iter().map(|s| s.as_str())));
    field("size", &|s| set(s, "enum", sizes.clone()));
    for id in ["owner_id", "team_id", "version"] {
        field(id, &|s| set(s, "minimum", 1));
    }
}

/// The create form of a request body: the same fields, with the required ones marked and
/// not nullable.
fn add_create_schema(schemas: &mut Map<String, Value>, from: &str, name: &str, text: &[TextLimit]) {
    let Some(mut schema) = schemas.get(from).cloned() else {
        return;
    };
    let required: Vec<&str> = text
        .iter()
        .filter(|l| l.required)
        .map(|l| l.field)
        .collect();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for field in &required {
            if let Some(property) = properties.get_mut(*field).and_then(Value::as_object_mut) {
                set(property, "type", "string");
                set(property, "minLength", 1);
            }
        }
    }
    if let Some(object) = schema.as_object_mut() {
        set(object, "required", ids(required));
    }
    schemas.insert(name.to_string(), schema);
}

/// The refusals every operation can answer, as problem documents: 401 without a valid token,
/// 404 for a record outside the caller's scope, 400/413/415/422 for a body, 400 for an
/// unreadable `If-Match` and 409 for a stale version, 422 for unknown query parameters.
fn add_error_responses(path: &str, method: &str, operation: &mut Value) {
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut add = |status: &str, description: &str| {
        responses.entry(status.to_string()).or_insert_with(|| {
            json!({
                "description": description,
                "content": { "application/problem+json": {
                    "schema": { "$ref": "#/components/schemas/Problem" }
                } }
            })
        });
    };
    add("401", "No valid API token");
    add("422", "Invalid fields or query parameters");
    if path.contains("{id}") {
        add("404", "Absent or outside your scope");
    }
    if matches!(method, "post" | "patch" | "put") {
        add("400", "The body or a header could not be read");
        add("413", "The body is too large");
        add("415", "The body is not declared as JSON");
    }
    if method == "patch" {
        add("409", "Changed since the given version");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn document() -> Value {
        super::super::router().1
    }

    fn parameter<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .expect("the parameter is documented")
    }

    #[test]
    fn list_parameters_state_the_bounds_the_server_enforces() {
        let doc = document();
        let limit = &parameter(&doc, "/people", "limit")["schema"];
        assert_eq!(limit["minimum"], 1);
        assert_eq!(limit["maximum"], 200);
        assert_eq!(
            parameter(&doc, "/people", "q")["schema"]["maxLength"],
            limits::SEARCH
        );
        assert_eq!(
            parameter(&doc, "/companies", "owner_id")["schema"]["minimum"],
            1
        );
        let companies = doc["paths"]["/companies"]["get"]["parameters"]
            .as_array()
            .unwrap();
        assert!(
            companies.iter().all(|p| p["name"] != "company_id"),
            "a company list has no company filter"
        );
        parameter(&doc, "/people", "company_id");
    }

    #[test]
    fn the_documented_list_parameters_are_the_ones_the_lists_read() {
        let doc = document();
        let names = |path: &str| -> Vec<String> {
            let mut names: Vec<String> = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            names.sort();
            names
        };
        let mut companies: Vec<String> = super::super::wire::LIST_PARAMS
            .iter()
            .map(|s| s.to_string())
            .collect();
        companies.sort();
        assert_eq!(names("/companies"), companies);
        let mut people = companies.clone();
        people.extend(
            <rehber_domain::party::People as super::super::records::ApiKind>::OWN_PARAMS
                .iter()
                .map(|s| s.to_string()),
        );
        people.sort();
        assert_eq!(names("/people"), people);
    }

    #[test]
    fn request_bodies_state_lengths_counts_and_required_fields() {
        let doc = document();
        let person = &doc["components"]["schemas"]["PersonRequest"]["properties"];
        assert_eq!(person["first_name"]["maxLength"], limits::PERSON_NAME);
        assert_eq!(person["notes"]["maxLength"], limits::NOTES);
        assert_eq!(person["emails"]["maxItems"], limits::EMAILS);
        assert_eq!(person["tags"]["items"]["maxLength"], limits::TAG);
        let new_person = &doc["components"]["schemas"]["NewPersonRequest"];
        assert_eq!(new_person["required"], json!(["first_name"]));
        assert_eq!(new_person["additionalProperties"], json!(false));
        assert_eq!(new_person["properties"]["first_name"]["type"], "string");
        let new_company = &doc["components"]["schemas"]["NewCompanyRequest"];
        assert_eq!(new_company["required"], json!(["name"]));
        assert_eq!(
            doc["paths"]["/people"]["post"]["requestBody"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/NewPersonRequest"
        );
        assert_eq!(
            doc["paths"]["/companies/{id}"]["patch"]["requestBody"]["content"]["application/json"]
                ["schema"]["$ref"],
            "#/components/schemas/CompanyRequest"
        );
    }

    #[test]
    fn every_operation_documents_its_refusals() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.contains_key("401"), "{method} {path}");
                if method == "patch" {
                    for status in ["400", "404", "409", "413", "415", "422"] {
                        assert!(responses.contains_key(status), "{method} {path} {status}");
                    }
                }
            }
        }
    }
}
