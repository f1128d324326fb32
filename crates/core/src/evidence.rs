//! Evidence files of progress records (佐证材料): which files are accepted. The store sniffs a
//! file's type from its first bytes (never from its name); these rules decide.

use crate::field::FieldError;

/// The largest evidence file taken.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The media types taken: images and PDF, which a reviewer opens in the browser.
pub const EVIDENCE_MEDIA_TYPES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
];

/// The longest file name kept, in characters.
const MAX_FILE_NAME_CHARS: usize = 100;

fn refused(message: String) -> FieldError {
    FieldError {
        field: "佐证材料",
        message,
    }
}

/// The media type of an evidence file of `size` bytes whose content reads as `sniffed`: not
/// empty, at most [`MAX_EVIDENCE_BYTES`], and one of [`EVIDENCE_MEDIA_TYPES`].
pub fn evidence_media_type(size: usize, sniffed: Option<&str>) -> Result<&'static str, FieldError> {
    if size == 0 {
        return Err(refused("文件为空".into()));
    }
    if size > MAX_EVIDENCE_BYTES {
        return Err(refused(format!(
            "文件超过 {} MB",
            MAX_EVIDENCE_BYTES / 1024 / 1024
        )));
    }
    EVIDENCE_MEDIA_TYPES
        .iter()
        .copied()
        .find(|accepted| sniffed == Some(*accepted))
        .ok_or_else(|| refused("只接受图片（PNG、JPEG、GIF、WebP）或 PDF 文件".into()))
}

/// The name an evidence file is shown by: the uploaded name without its folders or control
/// characters, at most 100 characters; "佐证材料" when nothing is left.
pub fn evidence_file_name(uploaded: &str) -> String {
    file_name_or(uploaded, "佐证材料")
}

/// An uploaded file's name without its folders or control characters, at most 100
/// characters; `fallback` when nothing is left (evidence, a showcase's photos).
pub fn file_name_or(uploaded: &str, fallback: &str) -> String {
    let name: String = uploaded
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    if name.is_empty() {
        fallback.into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_an_image_or_a_pdf_of_at_most_10_mb() {
        assert_eq!(
            evidence_media_type(1000, Some("application/pdf")),
            Ok("application/pdf")
        );
        assert_eq!(evidence_media_type(1, Some("image/webp")), Ok("image/webp"));
        assert!(evidence_media_type(MAX_EVIDENCE_BYTES, Some("image/png")).is_ok());
        let messages = [
            (0, Some("image/png"), "文件为空"),
            (MAX_EVIDENCE_BYTES + 1, Some("image/png"), "文件超过 10 MB"),
            (
                5,
                Some("text/plain"),
                "只接受图片（PNG、JPEG、GIF、WebP）或 PDF 文件",
            ),
            (5, None, "只接受图片（PNG、JPEG、GIF、WebP）或 PDF 文件"),
        ];
        for (size, sniffed, message) in messages {
            let e = evidence_media_type(size, sniffed).unwrap_err();
            assert_eq!((e.field, e.message.as_str()), ("佐证材料", message));
        }
    }

    #[test]
    fn an_evidence_file_keeps_its_own_name_only() {
        assert_eq!(evidence_file_name("C:\\docs\\证明.pdf"), "证明.pdf");
        assert_eq!(evidence_file_name("/tmp/a/签到表.png"), "签到表.png");
        assert_eq!(evidence_file_name("a\u{0}b\n.pdf"), "ab.pdf");
        assert_eq!(evidence_file_name("dir/"), "佐证材料");
        assert_eq!(evidence_file_name(&"名".repeat(150)).chars().count(), 100);
    }
}
