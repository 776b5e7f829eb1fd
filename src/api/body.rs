//! The JSON body of an API request, held to the forms' rules: a string holding a control
//! character that no field takes (NUL above all, which PostgreSQL refuses) is refused with
//! 422 before any handler runs, as a form field is; an empty body reads as `{}`; a malformed
//! one answers 400 as problem+json.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::ApiError;
use crate::domain::validation::{FieldErrors, has_forbidden_control};
use crate::error::AppError;

/// A request's JSON body, checked.
pub struct Body<T>(pub T);

/// The path (`tags[2]`, `local_name`) of the first string of `value` that holds a forbidden
/// control character, keys included.
fn controlled(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::String(text) => has_forbidden_control(text).then(|| at.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| controlled(item, &format!("{at}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let path = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            if has_forbidden_control(key) {
                Some(path)
            } else {
                controlled(item, &path)
            }
        }),
        _ => None,
    }
}

fn malformed(error: &serde_json::Error) -> ApiError {
    ApiError::from(AppError::BadRequest(format!(
        "The body is not the JSON this request takes: {error}."
    )))
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                ApiError::from(AppError::BadRequest(format!(
                    "The body cannot be read: {e}."
                )))
            })?;
            let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
                Value::Object(serde_json::Map::new())
            } else {
                serde_json::from_slice(&bytes).map_err(|e| malformed(&e))?
            };
            if let Some(field) = controlled(&value, "") {
                let label: String = field.chars().filter(|c| !c.is_control()).take(60).collect();
                return Err(ApiError::from(AppError::Validation(FieldErrors::single(
                    "body",
                    format!(
                        "The field {label} holds a control character; remove it and send the request again."
                    ),
                ))));
            }
            serde_json::from_value(value)
                .map(Body)
                .map_err(|e| malformed(&e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_controlled_string_is_named_by_its_path() {
        let value: Value =
            serde_json::from_str(r#"{"a": "fine", "tags": ["ok", "b\u0000d"]}"#).expect("json");
        assert_eq!(controlled(&value, "").as_deref(), Some("tags[1]"));
        let fine: Value = serde_json::from_str(r#"{"a": "line\nbreak", "n": 3}"#).expect("json");
        assert_eq!(controlled(&fine, ""), None);
    }
}
