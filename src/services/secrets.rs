//! Secret fields at rest: AES-256-GCM with a random nonce, bound to the account and the
//! component by associated data, so that a ciphertext copied to another row does not open.

use crate::db::ids::*;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

use crate::error::AppError;

const PREFIX: &str = "v1.";

/// The 256-bit key; its `Debug` never shows the bytes.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Reads a key written as base64 (44 characters).
    pub fn from_base64(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "the secret key is not valid base64".to_owned())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the secret key must be 32 bytes (44 base64 characters)".to_owned())?;
        Ok(Self(bytes))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// 64 bytes for another use of the key, told apart by `label` (SHA-512 of both): the same
    /// on every instance that shares the key.
    pub fn derive(&self, label: &str) -> [u8; 64] {
        derive(label, &self.0)
    }
}

/// SHA-512 of a label and some key material.
pub fn derive(label: &str, material: &[u8]) -> [u8; 64] {
    use sha2::{Digest, Sha512};
    let mut hasher = Sha512::new();
    hasher.update(label.as_bytes());
    hasher.update([0u8]);
    hasher.update(material);
    hasher.finalize().into()
}

/// Seals and opens secret fields.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(…)")
    }
}

fn associated(account_id: &AccountId, component_id: &ComponentId) -> Vec<u8> {
    format!("{account_id}/{component_id}").into_bytes()
}

impl Sealer {
    pub fn new(key: &SecretKey) -> Self {
        Self {
            cipher: Aes256Gcm::new(&key.0.into()),
        }
    }

    /// Encrypts a clear value for one component of one account.
    pub fn seal(
        &self,
        clear: &str,
        account_id: &AccountId,
        component_id: &ComponentId,
    ) -> Result<String, AppError> {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated(account_id, component_id);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: clear.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| AppError::internal("a secret could not be encrypted"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
    }

    /// Decrypts a value sealed for this very account and component.
    pub fn open(
        &self,
        sealed: &str,
        account_id: &AccountId,
        component_id: &ComponentId,
    ) -> Result<String, AppError> {
        let fail = || {
            AppError::internal("a secret could not be decrypted (wrong key or moved ciphertext)")
        };
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|b| b.len() > 12)
            .ok_or_else(fail)?;
        let (nonce, body) = bytes.split_at(12);
        let aad = associated(account_id, component_id);
        let clear = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .map_err(|_| fail())?;
        String::from_utf8(clear).map_err(|_| fail())
    }

    /// Re-encrypts a value for another row (copies and installs).
    pub fn reseal(
        &self,
        sealed: &str,
        from: (&AccountId, &ComponentId),
        to: (&AccountId, &ComponentId),
    ) -> Result<String, AppError> {
        let clear = self.open(sealed, from.0, from.1)?;
        self.seal(&clear, to.0, to.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_for_its_own_row() {
        let sealer = Sealer::new(&SecretKey::generate());
        let sealed = sealer
            .seal(
                "s3cret",
                &AccountId::from("acct"),
                &ComponentId::from("comp"),
            )
            .expect("seal");
        assert!(!sealed.contains("s3cret"));
        assert_eq!(
            sealer
                .open(
                    &sealed,
                    &AccountId::from("acct"),
                    &ComponentId::from("comp")
                )
                .expect("open"),
            "s3cret"
        );
        assert!(
            sealer
                .open(
                    &sealed,
                    &AccountId::from("acct"),
                    &ComponentId::from("other")
                )
                .is_err()
        );
        assert!(
            sealer
                .open(
                    &sealed,
                    &AccountId::from("other"),
                    &ComponentId::from("comp")
                )
                .is_err()
        );
        let moved = sealer
            .reseal(
                &sealed,
                (&AccountId::from("acct"), &ComponentId::from("comp")),
                (&AccountId::from("acct2"), &ComponentId::from("comp2")),
            )
            .expect("reseal");
        assert_eq!(
            sealer
                .open(
                    &moved,
                    &AccountId::from("acct2"),
                    &ComponentId::from("comp2")
                )
                .expect("open"),
            "s3cret"
        );
        let other_key = Sealer::new(&SecretKey::generate());
        assert!(
            other_key
                .open(
                    &sealed,
                    &AccountId::from("acct"),
                    &ComponentId::from("comp")
                )
                .is_err()
        );
    }

    #[test]
    fn two_seals_of_one_value_differ() {
        let sealer = Sealer::new(&SecretKey::generate());
        let a = sealer
            .seal("same", &AccountId::from("a"), &ComponentId::from("c"))
            .expect("seal");
        let b = sealer
            .seal("same", &AccountId::from("a"), &ComponentId::from("c"))
            .expect("seal");
        assert_ne!(a, b);
    }

    #[test]
    fn keys_round_trip_through_base64() {
        let key = SecretKey::generate();
        let again = SecretKey::from_base64(&key.to_base64()).expect("decode");
        assert_eq!(again.0, key.0);
        assert!(SecretKey::from_base64("short").is_err());
        assert_eq!(format!("{key:?}"), "SecretKey(…)");
    }
}
