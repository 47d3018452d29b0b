//! Who may see a field of a profile, and the viewer's tier that it is
//! compared with. The tier itself is computed in SQL
//! (`maillage_db::profiles::tier_sql`); [`sees`] is the comparison, written
//! once here for everything shown from Rust.

/// A visibility level, as stored (`*_vis` columns, `listed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    /// Every logged-in member of the network.
    Network = 0,
    /// The people of the profile's organisation.
    Organisation = 1,
    /// Only the person and the administrators (their organisation's, the
    /// network coordinator).
    Private = 2,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Visibility::Network, Visibility::Organisation, Visibility::Private];

    pub fn level(self) -> i32 {
        self as i32
    }

    /// From a stored level; anything unexpected is the most private.
    pub fn from_level(level: i32) -> Visibility {
        match level {
            0 => Visibility::Network,
            1 => Visibility::Organisation,
            _ => Visibility::Private,
        }
    }

    /// The form value.
    pub fn key(self) -> &'static str {
        match self {
            Visibility::Network => "reseau",
            Visibility::Organisation => "organisation",
            Visibility::Private => "prive",
        }
    }

    pub fn parse(key: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.key() == key)
    }

    /// For a field.
    pub fn label(self) -> &'static str {
        match self {
            Visibility::Network => "Tout le réseau",
            Visibility::Organisation => "Mon organisation",
            Visibility::Private => "Moi et les administrateurs",
        }
    }

    /// For presence in the directory (`listed`).
    pub fn presence_label(self) -> &'static str {
        match self {
            Visibility::Network => "Dans l'annuaire du réseau",
            Visibility::Organisation => "Dans l'annuaire de mon organisation seulement",
            Visibility::Private => "Hors de l'annuaire (seuls moi et les administrateurs voient ma fiche)",
        }
    }
}

/// Whether a viewer at `tier` sees something of visibility level `vis`.
pub fn sees(tier: i32, vis: i32) -> bool {
    vis <= tier
}

/// The fields of a profile, as named in its history and in forms.
pub const FIELD_LABELS: &[(&str, &str)] = &[
    ("prenom", "Prénom"),
    ("nom", "Nom"),
    ("fonction", "Fonction"),
    ("direction", "Direction"),
    ("service", "Service"),
    ("categorie", "Catégorie"),
    ("cadre", "Cadre d'emplois"),
    ("courriel", "Courriel"),
    ("telephone", "Téléphone"),
    ("bio", "Présentation"),
    ("langues", "Langues"),
    ("thematiques", "Thématiques"),
    ("photo", "Photo"),
    ("visibilite", "Visibilité"),
    ("presence", "Présence dans l'annuaire"),
    ("prise_de_poste", "Date de prise de poste"),
    ("responsable", "Responsable hiérarchique"),
    ("visibilite_formation", "Visibilité du parcours de formation"),
    ("organisation", "Organisation"),
    ("creation", "Création de la fiche"),
    ("compte", "Fiche revendiquée par son compte"),
];

pub fn field_label(key: &str) -> &str {
    FIELD_LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_compare() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::from_level(v.level()), v);
            assert_eq!(Visibility::parse(v.key()), Some(v));
        }
        assert_eq!(Visibility::from_level(7), Visibility::Private);
        assert!(sees(2, 2) && sees(1, 0) && !sees(0, 1) && !sees(1, 2));
    }
}
