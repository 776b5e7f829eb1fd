//! Sealing of secret fields on save: kept values stay as sealed, new ones are sealed, cleared
//! ones become empty. No database access here; plaintext never leaves this module unsealed.

use super::{BodyDraft, SecretInput};
use crate::db::build::Component;
use crate::domain::build::{Body, PropertyKind};
use crate::error::AppError;
use crate::services::Caller;
use crate::services::secrets::Sealer;

/// The saved secret values of a body, in slot order.
fn saved_secrets(body: &Body) -> Vec<String> {
    match body {
        Body::Connection { password, .. } => vec![password.clone().unwrap_or_default()],
        Body::ProcessProperty { properties } => properties
            .iter()
            .map(|p| {
                if p.kind == PropertyKind::Password {
                    p.value.clone()
                } else {
                    String::new()
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Fills the secret slots of a draft: kept values stay sealed as they were, new ones are
/// sealed for this account and component, cleared ones become empty.
pub(super) fn apply_secrets(
    sealer: &Sealer,
    caller: &Caller,
    component: &Component,
    old: &Body,
    draft: BodyDraft,
) -> Result<Body, AppError> {
    let saved = saved_secrets(old);
    let value = |slot: Option<&SecretInput>| -> Result<String, AppError> {
        let Some(input) = slot else {
            return Ok(String::new());
        };
        if input.clear {
            return Ok(String::new());
        }
        if !input.new_value.is_empty() {
            return sealer.seal(&input.new_value, caller.account_id(), &component.id);
        }
        Ok(input
            .origin
            .and_then(|i| saved.get(i).cloned())
            .unwrap_or_default())
    };
    let mut body = draft.body;
    match &mut body {
        Body::Connection { password, .. } => {
            let sealed = value(draft.secrets.first())?;
            *password = (!sealed.is_empty()).then_some(sealed);
        }
        Body::ProcessProperty { properties } => {
            for (i, property) in properties.iter_mut().enumerate() {
                if property.kind == PropertyKind::Password {
                    property.value = value(draft.secrets.get(i))?;
                }
            }
        }
        _ => {}
    }
    Ok(body)
}
