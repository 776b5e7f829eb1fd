//! Password hashing with bcrypt; callers run it off the async workers.

use std::sync::OnceLock;

use crate::error::AppError;

pub fn hash(password: &str, cost: u32) -> Result<String, AppError> {
    bcrypt::hash(password, cost).map_err(AppError::internal)
}

/// Checks a password. A missing hash (unknown e-mail) is checked against a decoy of the same
/// cost and always fails, so that both failures take the same time.
pub fn verify(password: &str, hash: Option<&str>, cost: u32) -> bool {
    match hash {
        Some(hash) => bcrypt::verify(password, hash).unwrap_or(false),
        None => {
            let _ = bcrypt::verify(password, decoy(cost));
            false
        }
    }
}

fn decoy(cost: u32) -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| bcrypt::hash(uuid::Uuid::new_v4().to_string(), cost).unwrap_or_default())
}
