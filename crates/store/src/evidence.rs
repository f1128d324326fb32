//! Evidence files of progress records, stored on disk by content: `files/evidence/ab/abcdef…`
//! where the name is the SM3 digest of the bytes. The same file uploaded twice is kept once.

use std::path::PathBuf;

use linkong_core::evidence::{evidence_file_name, evidence_media_type};
use sm3::{Digest, Sm3};

use crate::{Error, Result, Store};

pub use linkong_core::evidence::MAX_EVIDENCE_BYTES;

/// A file as uploaded, before it is checked.
#[derive(Debug, Clone)]
pub struct EvidenceUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// An accepted evidence file: an image or a PDF, by its content, not its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvidence {
    pub file_name: String,
    pub media_type: &'static str,
    pub digest: String,
    pub bytes: Vec<u8>,
}

/// Accepts an upload as core's rules say (images and PDF up to 10 MB), its type judged by its
/// first bytes.
pub fn check_evidence(upload: EvidenceUpload) -> Result<CheckedEvidence> {
    let sniffed = infer::get(&upload.bytes).map(|kind| kind.mime_type());
    let media_type = evidence_media_type(upload.bytes.len(), sniffed)?;
    Ok(CheckedEvidence {
        file_name: evidence_file_name(&upload.file_name),
        media_type,
        digest: hex::encode(Sm3::digest(&upload.bytes)),
        bytes: upload.bytes,
    })
}

impl Store {
    pub(crate) fn evidence_path(&self, digest: &str) -> PathBuf {
        self.files_dir
            .join("evidence")
            .join(&digest[..2])
            .join(digest)
    }

    /// Writes the file if it is not there yet (write to a temporary name, then rename).
    pub(crate) async fn write_evidence(&self, evidence: &CheckedEvidence) -> Result<()> {
        let path = self.evidence_path(&evidence.digest);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        tokio::fs::write(&temporary, &evidence.bytes).await?;
        tokio::fs::rename(&temporary, &path).await?;
        Ok(())
    }

    pub(crate) async fn read_evidence_file(&self, digest: &str) -> Result<Vec<u8>> {
        if digest.len() != 64 || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::not_found("佐证材料"));
        }
        Ok(tokio::fs::read(self.evidence_path(digest)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_accepted_by_its_content() {
        let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
        let checked = check_evidence(EvidenceUpload {
            file_name: "C:\\docs\\证明.pdf".into(),
            bytes: pdf,
        })
        .unwrap();
        assert_eq!(checked.media_type, "application/pdf");
        assert_eq!(checked.file_name, "证明.pdf");
        assert_eq!(checked.digest.len(), 64);
    }

    #[test]
    fn a_text_file_named_like_an_image_is_refused() {
        let error = check_evidence(EvidenceUpload {
            file_name: "x.png".into(),
            bytes: b"hello".to_vec(),
        })
        .unwrap_err();
        assert!(error.to_string().contains("只接受图片"), "{error}");
    }

    #[test]
    fn an_oversize_file_is_refused() {
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_EVIDENCE_BYTES + 1, b' ');
        let error = check_evidence(EvidenceUpload {
            file_name: "big.pdf".into(),
            bytes: big,
        })
        .unwrap_err();
        assert!(error.to_string().contains("超过 10 MB"), "{error}");
    }
}
