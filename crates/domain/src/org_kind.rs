//! The kinds of organisation a member of a network can be.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of a member organisation: a collectivité (commune, EPCI,
/// département, région), the CNFPT, a centre de gestion, or something else.
///
/// The serde form and [`OrgKind::as_str`] are the short codes (`commune`,
/// `cc`, …) that are also stored in the database and in
/// `crates/domain/data/collectivites.csv`.
///
/// EPCI types of the official data map as: CC → `cc`, CA → `ca`, CU → `cu`,
/// METRO and MET69 (the Métropole de Lyon) → `metropole`; EPT (the
/// établissements publics territoriaux of the Grand Paris) and any other type
/// → `autre`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    #[serde(rename = "commune")]
    Commune,
    #[serde(rename = "cc")]
    CommunauteDeCommunes,
    #[serde(rename = "ca")]
    CommunauteAgglomeration,
    #[serde(rename = "cu")]
    CommunauteUrbaine,
    #[serde(rename = "metropole")]
    Metropole,
    #[serde(rename = "departement")]
    Departement,
    #[serde(rename = "region")]
    Region,
    #[serde(rename = "cnfpt")]
    Cnfpt,
    #[serde(rename = "cdg")]
    CentreDeGestion,
    #[serde(rename = "autre")]
    Autre,
}

impl OrgKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [OrgKind; 10] = [
        OrgKind::Commune,
        OrgKind::CommunauteDeCommunes,
        OrgKind::CommunauteAgglomeration,
        OrgKind::CommunauteUrbaine,
        OrgKind::Metropole,
        OrgKind::Departement,
        OrgKind::Region,
        OrgKind::Cnfpt,
        OrgKind::CentreDeGestion,
        OrgKind::Autre,
    ];

    /// The stable short code (`commune`, `cc`, `ca`, `cu`, `metropole`,
    /// `departement`, `region`, `cnfpt`, `cdg`, `autre`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Commune => "commune",
            OrgKind::CommunauteDeCommunes => "cc",
            OrgKind::CommunauteAgglomeration => "ca",
            OrgKind::CommunauteUrbaine => "cu",
            OrgKind::Metropole => "metropole",
            OrgKind::Departement => "departement",
            OrgKind::Region => "region",
            OrgKind::Cnfpt => "cnfpt",
            OrgKind::CentreDeGestion => "cdg",
            OrgKind::Autre => "autre",
        }
    }

    /// The kind of a short code, exactly as [`OrgKind::as_str`] writes it.
    pub fn parse(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// The French label, e.g. « Communauté d'agglomération ».
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Commune => "Commune",
            OrgKind::CommunauteDeCommunes => "Communauté de communes",
            OrgKind::CommunauteAgglomeration => "Communauté d'agglomération",
            OrgKind::CommunauteUrbaine => "Communauté urbaine",
            OrgKind::Metropole => "Métropole",
            OrgKind::Departement => "Département",
            OrgKind::Region => "Région",
            OrgKind::Cnfpt => "CNFPT",
            OrgKind::CentreDeGestion => "Centre de gestion",
            OrgKind::Autre => "Autre",
        }
    }

    /// The kind of an EPCI type code of the official data (`CC`, `CA`, `CU`,
    /// `METRO`, `MET69`, `EPT`…). EPT and unknown types are [`OrgKind::Autre`].
    pub fn from_epci_type(code: &str) -> OrgKind {
        match code {
            "CC" => OrgKind::CommunauteDeCommunes,
            "CA" => OrgKind::CommunauteAgglomeration,
            "CU" => OrgKind::CommunauteUrbaine,
            "METRO" | "MET69" => OrgKind::Metropole,
            _ => OrgKind::Autre,
        }
    }

    /// Whether this kind is an EPCI (communauté or métropole).
    pub fn is_epci(self) -> bool {
        matches!(
            self,
            OrgKind::CommunauteDeCommunes
                | OrgKind::CommunauteAgglomeration
                | OrgKind::CommunauteUrbaine
                | OrgKind::Metropole
        )
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Some(kind));
            assert!(seen.insert(kind.as_str()));
        }
        assert_eq!(OrgKind::parse("Commune"), None);
        assert_eq!(OrgKind::parse(""), None);
        assert_eq!(OrgKind::parse("epci"), None);
    }

    #[test]
    fn labels_and_display() {
        assert_eq!(OrgKind::CommunauteAgglomeration.label(), "Communauté d'agglomération");
        assert_eq!(OrgKind::Metropole.to_string(), "Métropole");
        assert_eq!(OrgKind::CentreDeGestion.to_string(), "Centre de gestion");
        assert_eq!(OrgKind::Cnfpt.to_string(), "CNFPT");
    }

    #[test]
    fn epci_types() {
        assert_eq!(OrgKind::from_epci_type("CC"), OrgKind::CommunauteDeCommunes);
        assert_eq!(OrgKind::from_epci_type("CA"), OrgKind::CommunauteAgglomeration);
        assert_eq!(OrgKind::from_epci_type("CU"), OrgKind::CommunauteUrbaine);
        assert_eq!(OrgKind::from_epci_type("METRO"), OrgKind::Metropole);
        assert_eq!(OrgKind::from_epci_type("MET69"), OrgKind::Metropole);
        assert_eq!(OrgKind::from_epci_type("EPT"), OrgKind::Autre);
        assert_eq!(OrgKind::from_epci_type("SIVU"), OrgKind::Autre);
        assert!(OrgKind::Metropole.is_epci());
        assert!(!OrgKind::Commune.is_epci());
        assert!(!OrgKind::Autre.is_epci());
    }

    #[test]
    fn serde_uses_the_codes() {
        for kind in OrgKind::ALL {
            let de: StrDeserializer<'_, DeError> = kind.as_str().into_deserializer();
            assert_eq!(OrgKind::deserialize(de), Ok(kind));
        }
        let de: StrDeserializer<'_, DeError> = "Commune".into_deserializer();
        assert!(OrgKind::deserialize(de).is_err());
    }
}
