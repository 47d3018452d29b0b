//! The one place that turns a document into PDF bytes: typst as a library,
//! fonts embedded in the binary (Libertinus Serif from `typst-assets`, SIL
//! Open Font License), no file or network access. Every document is tagged
//! (structure tree, language) and checked against PDF/UA-1 by typst itself.
//!
//! Templates (`pdf/*.typ`) read their values from `sys.inputs` as strings,
//! so a name or a title typed by a user is never interpreted as markup.

use std::sync::OnceLock;

use typst::foundations::{Array, Dict, IntoValue, Value};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::{CoreError, CoreResult};

/// The values of a document, by name (`sys.inputs` in the template).
#[derive(Default)]
pub struct Inputs(Dict);

impl Inputs {
    pub fn text(mut self, key: &str, value: impl AsRef<str>) -> Self {
        self.0.insert(key.into(), value.as_ref().into_value());
        self
    }

    pub fn int(mut self, key: &str, value: i64) -> Self {
        self.0.insert(key.into(), value.into_value());
        self
    }

    pub fn list(mut self, key: &str, values: &[String]) -> Self {
        let array: Array = values.iter().map(|v| v.as_str().into_value()).collect();
        self.0.insert(key.into(), Value::Array(array));
        self
    }
}

/// The documents the platform prints.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `doc_title`, `school`, `module`, `day`, `half`, `place`, `trainers`,
    /// `people`, `guest_names`, `guest_qualities` (lists), `guest_rows` (int).
    SignInSheet,
    /// `doc_title`, `school`, `holder`, `title`, `details`,
    /// `issued_on`, `code`, `verify_url`.
    Attestation,
}

type Engine = TypstEngine<TypstTemplateMainFile>;

fn engine(kind: Kind) -> &'static Engine {
    static SHEET: OnceLock<Engine> = OnceLock::new();
    static ATTESTATION: OnceLock<Engine> = OnceLock::new();
    let (cell, source) = match kind {
        Kind::SignInSheet => (&SHEET, include_str!("pdf/sign_in_sheet.typ")),
        Kind::Attestation => (&ATTESTATION, include_str!("pdf/attestation.typ")),
    };
    cell.get_or_init(|| {
        TypstEngine::builder()
            .main_file(source)
            .fonts(typst_assets::fonts())
            .build()
    })
}

/// Renders a document to PDF (tagged, PDF/UA-1).
pub fn render(kind: Kind, inputs: Inputs) -> CoreResult<Vec<u8>> {
    let doc: PagedDocument = engine(kind)
        .compile_with_input(inputs.0)
        .output
        .map_err(|e| CoreError::Internal(anyhow::anyhow!("typst ({kind:?}) : {e:?}")))?;
    let options = PdfOptions {
        standards: PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("PDF/UA : {e:?}")))?,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|e| CoreError::Internal(anyhow::anyhow!("PDF ({kind:?}) : {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn attestation_is_a_tagged_pdf_and_markup_stays_text() {
        let pdf = render(
            Kind::Attestation,
            Inputs::default()
                .text("doc_title", "Attestation — Camille #strong[Test]")
                .text("school", "École d'Alès")
                .text("holder", "Camille \"Test\" = *x*")
                .text("title", "Prise de poste")
                .text("details", "4 demi-journées sur 4 (14 heures).")
                .text("issued_on", "4 mars 2027")
                .text("code", "ABCD2345EFGH")
                .text("verify_url", "https://maillage.example/attestations/ABCD2345EFGH"),
        )
        .expect("PDF");
        assert!(pdf.starts_with(b"%PDF"));
        assert!(contains(&pdf, b"/StructTreeRoot"));
        assert!(contains(&pdf, b"/Lang"));
    }

    #[test]
    fn sign_in_sheet_renders() {
        let pdf = render(
            Kind::SignInSheet,
            Inputs::default()
                .text("doc_title", "Feuille d'émargement")
                .text("school", "École d'Alès")
                .text("module", "Prise de poste")
                .text("day", "2 mars 2027")
                .text("half", "matin, 09:00–12:30")
                .text("place", "Salle du conseil")
                .text("trainers", "—")
                .list("people", &["Ada Lovelace".into(), "Alan Turing".into()])
                .list("guest_names", &["Max Élu".into()])
                .list("guest_qualities", &["Maire adjoint".into()])
                .int("guest_rows", 3),
        )
        .expect("PDF");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
