//! The roles of the foundation. Every role is held within one organisation,
//! except the coordinator's, which is network-wide (see [`Role::scoped`]).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Animateur du réseau: runs the whole network.
    Coordinator,
    /// Administrateur d'une organisation, typically its school's manager.
    OrgAdmin,
    /// Chargé·e RH of an organisation.
    Hr,
    /// Intervenant·e.
    Trainer,
    /// Any agent of a member organisation.
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Coordinator, Role::OrgAdmin, Role::Hr, Role::Trainer, Role::Member];

    /// The code used on the command line, in forms, in the API and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::OrgAdmin => "org-admin",
            Role::Hr => "hr",
            Role::Trainer => "trainer",
            Role::Member => "member",
        }
    }

    pub fn parse(code: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == code.trim())
            .ok_or_else(|| UnknownRole(code.trim().to_owned()))
    }

    /// Where a role granted « in » `organisation` is held: there, or nowhere
    /// in particular for the network-wide coordinator. The one place for
    /// that rule.
    pub fn scoped<T>(self, organisation: T) -> Option<T> {
        (self != Role::Coordinator).then_some(organisation)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Coordinator => "Animateur·rice du réseau",
            Role::OrgAdmin => "Administrateur·rice de l'organisation",
            Role::Hr => "Chargé·e des ressources humaines",
            Role::Trainer => "Intervenant·e",
            Role::Member => "Membre",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Rôle inconnu « {0} » : choisissez coordinator, org-admin, hr, trainer ou member.")]
pub struct UnknownRole(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(Role::parse("admin").is_err());
    }
}
