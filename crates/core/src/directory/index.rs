//! The full-text documents of a profile: one per tier, each made only of the
//! fields visible at that tier, so that a hidden field can never make a
//! profile match a search.

use maillage_db::{
    Ex,
    profiles::{self as db, Fields},
};
use maillage_domain::search::index_terms;
use uuid::Uuid;

use super::visibility::sees;
use crate::CoreResult;

/// `(names, body)` for tiers 0, 1 and 2.
pub fn documents(f: &Fields, organisation_name: &str, themes: &[&str]) -> [(String, String); 3] {
    let names = index_terms([f.first_name.as_str(), f.last_name.as_str()]);
    std::array::from_fn(|tier| {
        let tier = tier as i32;
        let email = f.email.as_deref().unwrap_or("");
        let fields: [(i32, &[&str]); 6] = [
            (f.function_vis, &[&f.function_title]),
            (f.unit_vis, &[&f.direction, &f.service]),
            (f.cadre_vis, &[&f.cadre]),
            (f.bio_vis, &[&f.bio]),
            (f.languages_vis, &[&f.languages]),
            (f.email_vis, &[email]),
        ];
        let mut texts: Vec<&str> = vec![organisation_name];
        for (vis, values) in fields {
            if sees(tier, vis) {
                texts.extend_from_slice(values);
            }
        }
        if sees(tier, f.themes_vis) {
            texts.extend_from_slice(themes);
        }
        (names.clone(), index_terms(texts))
    })
}

/// Rewrites a profile's index rows from what is stored.
pub async fn reindex(mut ex: Ex<'_>, id: Uuid) -> CoreResult<()> {
    let scope = db::Scope {
        everything: true,
        ..Default::default()
    };
    let Some(row) = db::by_id(ex.reborrow(), &scope, id).await? else {
        return Ok(());
    };
    let themes = db::themes_of(ex.reborrow(), &[id]).await?;
    let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
    let docs = documents(&Fields::from(&row), &row.org_name, &names);
    db::set_index(ex, id, row.search_seq, &docs).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_enters_only_the_tiers_that_see_it() {
        let f = Fields {
            first_name: "Élodie".into(),
            last_name: "Martin".into(),
            function_title: "Directrice".into(),
            function_vis: 0,
            phone: Some("01 02 03 04 05".into()),
            bio: "Passionnée de vélo".into(),
            bio_vis: 1,
            cadre: "Attachés territoriaux".into(),
            cadre_vis: 2,
            ..Default::default()
        };
        let docs = documents(&f, "Alès Agglomération", &["Numérique"]);
        assert!(docs.iter().all(|(n, _)| n.contains("elodie")));
        assert!(
            docs.iter()
                .all(|(_, b)| b.contains("directrice") && b.contains("numerique"))
        );
        assert!(!docs[0].1.contains("velo") && docs[1].1.contains("velo"));
        assert!(!docs[1].1.contains("attache") && docs[2].1.contains("attache"));
        assert!(
            docs.iter().all(|(_, b)| !b.contains("01")),
            "phone numbers are not indexed"
        );
    }
}
