//! The Connection and Operation forms: a connector, its endpoint and credentials (the password
//! travels apart, as an edit), and an operation's action and references. No database access.

use super::{BodyView, Control, enum_select, optional_id, pick, reference};
use crate::db::build::ComponentSummary;
use crate::domain::build::{Body, ComponentType, Connector, OperationAction};
use crate::domain::validation::FieldErrors;
use crate::services::build::components::{BodyDraft, SecretInput};
use crate::web::page::Field;
use crate::web::pairs::Pairs;

/// Shows a Connection or an Operation body; other bodies are left to their own modules.
pub(super) fn view(
    view: &mut BodyView,
    body: &Body,
    stored: &Body,
    options: &[ComponentSummary],
    errors: &FieldErrors,
) {
    match body {
        Body::Connection {
            connector,
            url,
            username,
            ..
        } => {
            view.controls = vec![
                Control::Select(enum_select(
                    "connector",
                    "Connector",
                    Connector::ALL,
                    Connector::code,
                    Connector::label,
                    *connector,
                )),
                Control::Field(Field::text("url", "URL").maxlength(2000).with(url, errors)),
                Control::Field(
                    Field::text("username", "User Name")
                        .maxlength(200)
                        .with(username, errors),
                ),
            ];
            let is_set =
                matches!(stored, Body::Connection { password: Some(p), .. } if !p.is_empty());
            view.password = Some((is_set, errors.get("password").map(str::to_owned)));
        }
        Body::Operation {
            connector,
            action,
            connection,
            request_profile,
            response_profile,
        } => {
            view.controls = vec![
                Control::Select(enum_select(
                    "connector",
                    "Connector",
                    Connector::ALL,
                    Connector::code,
                    Connector::label,
                    *connector,
                )),
                Control::Select(enum_select(
                    "action",
                    "Action",
                    OperationAction::ALL,
                    OperationAction::code,
                    OperationAction::label,
                    *action,
                )),
                reference(
                    "connection",
                    "Connection",
                    options,
                    ComponentType::Connection,
                    connection,
                    errors,
                ),
                reference(
                    "request_profile",
                    "Request Profile",
                    options,
                    ComponentType::Profile,
                    request_profile,
                    errors,
                ),
                reference(
                    "response_profile",
                    "Response Profile",
                    options,
                    ComponentType::Profile,
                    response_profile,
                    errors,
                ),
            ];
        }
        _ => {}
    }
}

/// Reads a submitted Connection form; the password is a secret edit, never part of the body.
pub(super) fn connection_draft(form: &Pairs, errors: &mut FieldErrors) -> BodyDraft {
    BodyDraft {
        body: Body::Connection {
            connector: pick(
                errors,
                "connector",
                "connector",
                Connector::from_code(form.get("connector")),
                Connector::HttpClient,
            ),
            url: form.get("url").trim().to_owned(),
            username: form.get("username").trim().to_owned(),
            password: None,
        },
        secrets: vec![SecretInput {
            origin: Some(0),
            new_value: form.get("password").to_owned(),
            clear: form.checked("clear_password"),
        }],
    }
}

/// Reads a submitted Operation form.
pub(super) fn operation_draft(form: &Pairs, errors: &mut FieldErrors) -> Body {
    Body::Operation {
        connector: pick(
            errors,
            "connector",
            "connector",
            Connector::from_code(form.get("connector")),
            Connector::HttpClient,
        ),
        action: pick(
            errors,
            "action",
            "action",
            OperationAction::from_code(form.get("action")),
            OperationAction::Get,
        ),
        connection: optional_id(form.get("connection")),
        request_profile: optional_id(form.get("request_profile")),
        response_profile: optional_id(form.get("response_profile")),
    }
}
