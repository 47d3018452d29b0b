//! Deliverables: files attached to a project (reports, slides, photos).
//!
//! The type of a file is decided from its content, never from its name or
//! the browser's `Content-Type`: PDF, PNG, JPEG, GIF, WebP, and office
//! documents — OOXML (Word, Excel, PowerPoint: a ZIP holding
//! `[Content_Types].xml` and its `word/`, `xl/` or `ppt/` part) and
//! OpenDocument (a ZIP whose first entry, `mimetype`, stored uncompressed,
//! names the type). Anything else — an executable, an HTML page named
//! `.pdf` — is refused. The stored name gets the extension of the type
//! found, and downloads answer with the stored type (`nosniff`,
//! `attachment`), so a file can never be served as something else.
//!
//! Size: [`MAX_BYTES`] (10 Mo) per file, below the server's upload body
//! limit (`max_upload_bytes`, 20 Mo by default) so that a file a little too
//! big gets a French error on the form rather than a bare 413.

use maillage_db::project_life as db;
use uuid::Uuid;

use super::text_field;
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, projects::load};

/// The largest deliverable accepted: 10 Mo.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The message for a file of a type not accepted.
pub const NOT_ACCEPTED: &str = "Ce fichier n’est pas un PDF, un document bureautique ni une image : \
    joignez un PDF, un document Word, Excel, PowerPoint ou OpenDocument, ou une image PNG, JPEG, GIF ou WebP.";

/// « 10 Mo ».
pub fn max_label() -> String {
    size_label(MAX_BYTES as i64)
}

/// « 245 ko », « 1,2 Mo » (1 ko = 1 024 octets, as file managers say).
pub fn size_label(bytes: i64) -> String {
    if bytes < 1024 {
        return format!("{bytes} octets");
    }
    if bytes < 1024 * 1024 {
        return format!("{} ko", (bytes as f64 / 1024.0).round());
    }
    let mo = bytes as f64 / (1024.0 * 1024.0);
    format!("{} Mo", super::format_number((mo * 10.0).round() / 10.0))
}

/// The kinds of files accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Pdf,
        Kind::Png,
        Kind::Jpeg,
        Kind::Gif,
        Kind::Webp,
        Kind::Docx,
        Kind::Xlsx,
        Kind::Pptx,
        Kind::Odt,
        Kind::Ods,
        Kind::Odp,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Gif => "image/gif",
            Kind::Webp => "image/webp",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Kind::Odt => "application/vnd.oasis.opendocument.text",
            Kind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Kind::Odp => "application/vnd.oasis.opendocument.presentation",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Gif => "gif",
            Kind::Webp => "webp",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Pptx => "pptx",
            Kind::Odt => "odt",
            Kind::Ods => "ods",
            Kind::Odp => "odp",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Png => "Image PNG",
            Kind::Jpeg => "Image JPEG",
            Kind::Gif => "Image GIF",
            Kind::Webp => "Image WebP",
            Kind::Docx => "Document Word",
            Kind::Xlsx => "Classeur Excel",
            Kind::Pptx => "Présentation PowerPoint",
            Kind::Odt => "Texte OpenDocument",
            Kind::Ods => "Classeur OpenDocument",
            Kind::Odp => "Présentation OpenDocument",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.media_type() == media_type)
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Png | Kind::Jpeg | Kind::Gif | Kind::Webp)
    }
}

/// What a file is, from its content alone.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Kind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Kind::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(Kind::Gif);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(Kind::Webp);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office(bytes);
    }
    None
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// An office document inside a ZIP: OpenDocument by its leading
/// `mimetype` entry, OOXML by its central directory's entry names.
fn office(b: &[u8]) -> Option<Kind> {
    // OpenDocument: the first local entry is `mimetype`, stored (method 0),
    // its content the media type.
    let name_len = u16_at(b, 26)?;
    let extra_len = u16_at(b, 28)?;
    if b.get(30..30 + name_len) == Some(b"mimetype".as_slice()) && u16_at(b, 8)? == 0 {
        let size = u32_at(b, 18)?;
        let start = 30 + name_len + extra_len;
        let value = b.get(start..start + size)?;
        return match value {
            b"application/vnd.oasis.opendocument.text" => Some(Kind::Odt),
            b"application/vnd.oasis.opendocument.spreadsheet" => Some(Kind::Ods),
            b"application/vnd.oasis.opendocument.presentation" => Some(Kind::Odp),
            _ => None,
        };
    }
    // OOXML: read the names of the central directory, found from the end
    // of central directory record (within the last 64 Kio + 22 bytes).
    let names = zip_names(b)?;
    if !names.iter().any(|n| n == b"[Content_Types].xml") {
        return None;
    }
    let has = |prefix: &[u8]| names.iter().any(|n| n.starts_with(prefix));
    if has(b"word/") {
        Some(Kind::Docx)
    } else if has(b"xl/") {
        Some(Kind::Xlsx)
    } else if has(b"ppt/") {
        Some(Kind::Pptx)
    } else {
        None
    }
}

/// The entry names of a ZIP's central directory (`None` when it is not a
/// well-formed ZIP).
fn zip_names(b: &[u8]) -> Option<Vec<&[u8]>> {
    let search_from = b.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b[i..].starts_with(b"PK\x05\x06"))?;
    let count = u16_at(b, eocd + 10)?;
    let mut at = u32_at(b, eocd + 16)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if !b.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = u16_at(b, at + 28)?;
        let extra_len = u16_at(b, at + 30)?;
        let comment_len = u16_at(b, at + 32)?;
        names.push(b.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// The name a file is stored and downloaded under: the typed name's stem
/// (letters, digits, spaces, dashes, dots kept) with the extension of the
/// type found.
pub fn stored_name(typed: &str, kind: Kind) -> String {
    let base = typed.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => base,
    };
    let clean: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        .take(100)
        .collect();
    let clean = clean.trim().trim_matches('.');
    let stem = if clean.is_empty() { "livrable" } else { clean };
    format!("{stem}.{}", kind.extension())
}

/// An upload, as received.
#[derive(Debug, Clone, Default)]
pub struct AttachmentInput {
    pub title: String,
    pub file_name: String,
    pub content: Vec<u8>,
}

/// Checks an upload: its title, its size, its type by content.
pub fn validate(input: &AttachmentInput, errors: &mut FieldErrors) -> (String, Option<Kind>) {
    let title = text_field(
        errors,
        "title",
        &input.title,
        200,
        Some("Donnez un titre au livrable, par exemple « Rapport final »."),
    );
    let kind = if input.content.is_empty() {
        errors.add("file", "Choisissez un fichier : aucun fichier n’a été reçu.");
        None
    } else if input.content.len() > MAX_BYTES {
        errors.add(
            "file",
            format!("Le fichier dépasse {} : réduisez-le ou découpez-le.", max_label()),
        );
        None
    } else {
        let kind = sniff(&input.content);
        if kind.is_none() {
            errors.add("file", NOT_ACCEPTED);
        }
        kind
    };
    (title, kind)
}

/// Attaches a deliverable to the project (team and school).
pub async fn add(ctx: &Ctx, actor: &Actor, project_id: Uuid, input: &AttachmentInput) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let mut errors = FieldErrors::new();
    let (title, kind) = validate(input, &mut errors);
    errors.into_result()?;
    let kind = kind.ok_or(CoreError::Internal(anyhow::anyhow!("type validé absent")))?;
    let file_name = stored_name(&input.file_name, kind);
    let id = db::insert_attachment(
        tx.ex(),
        project_id,
        &db::NewAttachment {
            title: &title,
            file_name: &file_name,
            media_type: kind.media_type(),
            content: &input.content,
        },
        actor.user_id(),
    )
    .await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.attachment.add",
        &project_id.to_string(),
        &file_name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A deliverable's file, for whoever sees the project.
pub async fn file(ctx: &Ctx, actor: &Actor, project_id: Uuid, attachment_id: Uuid) -> CoreResult<db::AttachmentFile> {
    let mut conn = ctx.db.conn().await?;
    load(conn.ex(), actor, project_id).await?;
    db::attachment_file(conn.ex(), project_id, attachment_id)
        .await?
        .ok_or(CoreError::NotFound)
}

/// Removes a deliverable (team and school).
pub async fn delete(ctx: &Ctx, actor: &Actor, project_id: Uuid, attachment_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    if db::delete_attachment(tx.ex(), project_id, attachment_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.attachment.delete",
        &attachment_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Builds a minimal ZIP (entries stored, no compression): for tests and
/// the demo's office documents.
pub fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |sig: &[u8], central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(sig);
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&0u16.to_le_bytes()); // method: stored
            h.extend_from_slice(&0u32.to_le_bytes()); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&0u16.to_le_bytes()); // comment
                h.extend_from_slice(&0u16.to_le_bytes()); // disk
                h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(b"PK\x03\x04", false));
        out.extend_from_slice(data);
        central.extend(header(b"PK\x01\x02", true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A small valid one-page PDF saying `text` (ASCII), for tests and the demo.
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    let text: String = text
        .chars()
        .filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\'))
        .collect();
    let stream = format!("BT /F1 14 Tf 72 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content() {
        assert_eq!(sniff(&tiny_pdf("Bonjour")), Some(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n0000"), Some(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Some(Kind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(sniff(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        let docx = stored_zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]);
        assert_eq!(sniff(&docx), Some(Kind::Docx));
        let xlsx = stored_zip(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<x/>")]);
        assert_eq!(sniff(&xlsx), Some(Kind::Xlsx));
        let pptx = stored_zip(&[("[Content_Types].xml", b"<Types/>"), ("ppt/presentation.xml", b"<p/>")]);
        assert_eq!(sniff(&pptx), Some(Kind::Pptx));
        let odt = stored_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<o/>"),
        ]);
        assert_eq!(sniff(&odt), Some(Kind::Odt));
        // A ZIP that is no office document (e.g. a Java archive) is refused.
        let jar = stored_zip(&[("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0")]);
        assert_eq!(sniff(&jar), None);
        let odd = stored_zip(&[("mimetype", b"application/x-evil")]);
        assert_eq!(sniff(&odd), None);
        // Truncated: no central directory.
        assert_eq!(sniff(&docx[..40]), None);
    }

    #[test]
    fn the_stored_name_takes_the_extension_of_the_type_found() {
        assert_eq!(stored_name("Rapport final.PDF", Kind::Pdf), "Rapport final.pdf");
        assert_eq!(stored_name("C:\\Users\\x\\bilan.exe", Kind::Pdf), "bilan.pdf");
        assert_eq!(stored_name("../../\"<>.docx", Kind::Docx), "livrable.docx");
        assert_eq!(stored_name("", Kind::Png), "livrable.png");
    }

    #[test]
    fn sizes_are_written_the_french_way() {
        assert_eq!(max_label(), "10 Mo");
        assert_eq!(size_label(1536), "2 ko");
        assert_eq!(size_label(1_300_000), "1,2 Mo");
    }
}
