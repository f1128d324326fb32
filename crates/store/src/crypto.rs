//! Field encryption of personal data (DESIGN.md, Security): SM4-GCM for ID and phone numbers at
//! rest, and an HMAC-SM3 blind index for exact lookup and de-duplication. The key lives outside
//! the database: `LINKONG_FIELD_KEY` (96 hex characters) or `data/keys/field.key` (mode 0600),
//! created on first use.

use std::path::Path;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit};
use hmac::{Hmac, Mac};
use sm3::Sm3;
use sm4::Sm4;

use crate::{Error, Result};

type Sm4Gcm = AesGcm<Sm4, U12>;

/// Stored values carry their scheme in their first byte — SM4-GCM, then the 12-byte nonce and
/// the ciphertext with its tag — so that a later scheme can tell old values from new.
const SCHEME: u8 = 1;

/// Bytes of the nonce that follows the scheme.
const NONCE_BYTES: usize = 12;

/// The key file in use, and the one a rotation moves to.
const CURRENT: &str = "field.key";
const NEXT: &str = "field.next.key";

/// Bytes of HMAC-SM3 kept in a blind index.
const BLIND_INDEX_BYTES: usize = 16;

pub struct FieldCipher {
    cipher: Sm4Gcm,
    /// HMAC-SM3 keyed once; each blind index starts from a clone of it.
    index_mac: Hmac<Sm3>,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(***)")
    }
}

impl FieldCipher {
    /// 48 bytes of key material: 16 for SM4, 32 for the blind index.
    pub fn from_material(material: &[u8; 48]) -> FieldCipher {
        let index_mac = <Hmac<Sm3> as hmac::KeyInit>::new_from_slice(&material[16..])
            .expect("HMAC takes any key length");
        let cipher = Sm4Gcm::new_from_slice(&material[..16]).expect("SM4 takes a 16-byte key");
        FieldCipher { cipher, index_mac }
    }

    /// The key from `LINKONG_FIELD_KEY`, else from `keys_dir/field.key`, created (0600) if absent.
    pub fn load_or_create(keys_dir: &Path) -> Result<FieldCipher> {
        if let Ok(text) = std::env::var("LINKONG_FIELD_KEY") {
            return from_hex(&text, "LINKONG_FIELD_KEY");
        }
        FieldCipher::load_or_create_file(keys_dir)
    }

    /// The key from `keys_dir/field.key`, created (0600) if absent.
    pub fn load_or_create_file(keys_dir: &Path) -> Result<FieldCipher> {
        remove_left_over(keys_dir);
        let path = keys_dir.join(CURRENT);
        if !path.exists() && keys_dir.join(NEXT).exists() {
            // A rotation stopped between retiring the old key and promoting the new one: a
            // fresh key now would leave every stored value unreadable.
            return Err(Error::Config(
                "密钥轮换未完成（data/keys 下只有 field.next.key）：请再次运行 linkong keys rotate"
                    .into(),
            ));
        }
        if path.exists() {
            return from_hex(
                &std::fs::read_to_string(&path)?,
                &path.display().to_string(),
            );
        }
        std::fs::create_dir_all(keys_dir)?;
        let material = format!("{}{}", crate::random_token(), &crate::random_token()[..32]);
        write_private(&path, &material)?;
        from_hex(&material, &path.display().to_string())
    }

    /// The key a rotation moves to: `keys_dir/field.next.key`, created (0600) if absent, so
    /// that a rotation run again after a stop goes on with the same key.
    pub fn load_or_create_next(keys_dir: &Path) -> Result<FieldCipher> {
        remove_left_over(keys_dir);
        let path = keys_dir.join(NEXT);
        if path.exists() {
            return from_hex(
                &std::fs::read_to_string(&path)?,
                &path.display().to_string(),
            );
        }
        std::fs::create_dir_all(keys_dir)?;
        let material = format!("{}{}", crate::random_token(), &crate::random_token()[..32]);
        write_private(&path, &material)?;
        from_hex(&material, &path.display().to_string())
    }

    /// Ends a rotation: the current key is kept as `field.key.retired-{stamp}`, the next key
    /// becomes `field.key`. Safe to run again after a stop at any point.
    pub fn promote_next(keys_dir: &Path, stamp: &str) -> Result<()> {
        let (current, next) = (keys_dir.join(CURRENT), keys_dir.join(NEXT));
        if !next.exists() {
            return Err(Error::Config("没有待启用的新密钥 field.next.key".into()));
        }
        // The old key is kept under a second name first, and the new one then takes the
        // current name in one step: at no moment is there no `field.key`, which a start
        // would otherwise fill with a fresh key that opens nothing.
        let retired = keys_dir.join(format!("{CURRENT}.retired-{stamp}"));
        if current.exists() && !retired.exists() {
            std::fs::hard_link(&current, &retired)?;
        }
        std::fs::rename(&next, &current)?;
        sync_dir(&current);
        Ok(())
    }

    /// A value sealed for storage (stored as bytes: BLOB, bytea).
    pub fn encrypt(&self, plaintext: &str) -> Vec<u8> {
        use rand::Rng;
        let mut stored = Vec::with_capacity(1 + NONCE_BYTES + plaintext.len() + 16);
        stored.push(SCHEME);
        let mut nonce_bytes = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce_bytes);
        stored.extend_from_slice(&nonce_bytes);
        let nonce = aes_gcm::Nonce::<U12>::from(nonce_bytes);
        let sealed = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .expect("SM4-GCM encryption does not fail");
        stored.extend_from_slice(&sealed);
        stored
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<String> {
        let corrupt = || Error::Config("加密字段无法解密（密钥不符或数据被改动）".into());
        let body = match stored.split_first() {
            Some((&SCHEME, body)) if body.len() >= NONCE_BYTES => body,
            _ => return Err(corrupt()),
        };
        let (nonce_bytes, sealed) = body.split_at(NONCE_BYTES);
        let nonce = aes_gcm::Nonce::<U12>::try_from(nonce_bytes).map_err(|_| corrupt())?;
        let plain = self.cipher.decrypt(&nonce, sealed).map_err(|_| corrupt())?;
        String::from_utf8(plain).map_err(|_| corrupt())
    }

    /// HMAC-SM3 of a normalised value, its first 128 bits: equal values give equal indexes,
    /// without revealing them. 128 bits keep collisions out of reach for any registry while
    /// halving every index (a million residents' IDs are one unique index).
    pub fn blind_index(&self, normalised: &str) -> Vec<u8> {
        let mut mac = self.index_mac.clone();
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes()[..BLIND_INDEX_BYTES].to_vec()
    }
}

/// Key material written as hex, from `origin` (named in the error).
fn from_hex(text: &str, origin: &str) -> Result<FieldCipher> {
    let bytes = hex::decode(text.trim())
        .map_err(|_| Error::Config(format!("{origin} 不是十六进制密钥")))?;
    let material: [u8; 48] = bytes
        .try_into()
        .map_err(|_| Error::Config(format!("{origin} 应为 96 个十六进制字符")))?;
    Ok(FieldCipher::from_material(&material))
}

/// Writes a new key file (0600) whole or not at all: the key goes to a temporary file, is
/// flushed to disk, and only then appears under its name (a link, which fails rather than
/// replace a key that exists). A `kill -9` or a power cut while writing leaves no empty or
/// half-written key behind to stop every later start or rotation.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}", &crate::random_token()[..12]));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| {
        let mut file = options.open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&temporary, path)
    })();
    let _ = std::fs::remove_file(&temporary);
    written?;
    sync_dir(path);
    Ok(())
}

/// How old a key file's temporary must be to count as left over by a writer that was killed
/// (a live writer links and removes its own within milliseconds).
const LEFT_OVER_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the key files' temporaries that a killed writer left in `keys_dir` (each a copy of
/// key material): a kill between writing one and removing it leaves it behind.
fn remove_left_over(keys_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(keys_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_temporary = [CURRENT, NEXT]
            .iter()
            .any(|key| name.starts_with(&format!(".{key}.")));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > LEFT_OVER_AFTER);
        if is_temporary && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Flushes a directory's entries (a new or renamed key file) to disk; best effort.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> FieldCipher {
        FieldCipher::from_material(&[7u8; 48])
    }

    #[test]
    fn values_round_trip_and_each_encryption_differs() {
        let c = cipher();
        let a = c.encrypt("13812345678");
        let b = c.encrypt("13812345678");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.windows(11).any(|w| w == b"13812345678"));
        assert_eq!(a.len(), 1 + 12 + 11 + 16, "scheme, nonce, ciphertext, tag");
        assert_eq!(c.decrypt(&a).unwrap(), "13812345678");
    }

    #[test]
    fn a_changed_ciphertext_or_another_key_is_refused() {
        let c = cipher();
        let mut stored = c.encrypt("420112199001011234");
        *stored.last_mut().unwrap() ^= 1;
        assert!(c.decrypt(&stored).is_err());
        let mut scheme = c.encrypt("420112199001011234");
        scheme[0] = 2;
        assert!(c.decrypt(&scheme).is_err(), "an unknown scheme");
        assert!(c.decrypt(b"").is_err());
        let other = FieldCipher::from_material(&[8u8; 48]);
        assert!(other.decrypt(&c.encrypt("x")).is_err());
    }

    #[test]
    fn the_blind_index_is_stable_and_keyed() {
        let c = cipher();
        assert_eq!(c.blind_index("13812345678"), c.blind_index("13812345678"));
        assert_ne!(c.blind_index("13812345678"), c.blind_index("13812345679"));
        assert_ne!(
            c.blind_index("13812345678"),
            FieldCipher::from_material(&[8u8; 48]).blind_index("13812345678")
        );
    }

    #[test]
    fn the_blind_index_is_the_head_of_the_full_hmac_as_migrations_0012_and_0014_cut_it() {
        let mut mac = <Hmac<Sm3> as hmac::KeyInit>::new_from_slice(&[7u8; 32]).unwrap();
        mac.update(b"420112199001011234");
        let full = mac.finalize().into_bytes();
        assert_eq!(full.len(), 32);
        assert_eq!(cipher().blind_index("420112199001011234"), full[..16]);
    }

    #[test]
    fn a_key_temporary_left_by_a_killed_writer_is_removed_and_a_live_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        FieldCipher::load_or_create_file(dir.path()).unwrap();
        let left = dir.path().join(".field.next.key.0123456789ab");
        let live = dir.path().join(".field.key.ba9876543210");
        let other = dir.path().join(".notes");
        for path in [&left, &live, &other] {
            std::fs::write(path, "material").unwrap();
        }
        let two_minutes_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
        for path in [&left, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(two_minutes_ago)
                .unwrap();
        }
        FieldCipher::load_or_create_next(dir.path()).unwrap();
        assert!(!left.exists(), "the killed writer's temporary is gone");
        assert!(
            live.exists(),
            "a writer's temporary of a moment ago is kept"
        );
        assert!(other.exists(), "only key temporaries are touched");
        assert!(dir.path().join("field.next.key").exists());
    }

    #[test]
    fn the_key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = FieldCipher::load_or_create_file(dir.path()).unwrap();
        let stored = first.encrypt("13812345678");
        let again = FieldCipher::load_or_create_file(dir.path()).unwrap();
        assert_eq!(again.decrypt(&stored).unwrap(), "13812345678");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("field.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
