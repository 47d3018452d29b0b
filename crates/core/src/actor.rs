//! Who is asking: anonymous, or an account with its roles (each held within
//! one organisation). Built once per request from the session cookie or the
//! API token, then handed to every operation.

use maillage_domain::role::Role;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct UserCtx {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<(Role, Option<Uuid>)>,
}

#[derive(Debug, Clone, Default)]
pub enum Actor {
    #[default]
    Anonymous,
    User(UserCtx),
}

impl Actor {
    pub fn user(&self) -> Option<&UserCtx> {
        match self {
            Actor::User(u) => Some(u),
            Actor::Anonymous => None,
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        self.user().map(|u| u.id)
    }

    pub fn is_coordinator(&self) -> bool {
        self.user()
            .is_some_and(|u| u.roles.iter().any(|(r, _)| *r == Role::Coordinator))
    }

    /// Holds `role` in `organisation`.
    pub fn has_role_in(&self, role: Role, organisation: Uuid) -> bool {
        self.user()
            .is_some_and(|u| u.roles.iter().any(|(r, o)| *r == role && *o == Some(organisation)))
    }

    /// Holds any role in `organisation` (is one of its people).
    pub fn belongs_to(&self, organisation: Uuid) -> bool {
        self.user()
            .is_some_and(|u| u.roles.iter().any(|(_, o)| *o == Some(organisation)))
    }

    /// The organisations in which the actor holds `role`.
    pub fn organisations_with(&self, role: Role) -> Vec<Uuid> {
        self.user()
            .map(|u| {
                u.roles
                    .iter()
                    .filter(|(r, _)| *r == role)
                    .filter_map(|(_, o)| *o)
                    .collect()
            })
            .unwrap_or_default()
    }
}
