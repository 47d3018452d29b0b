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
}
