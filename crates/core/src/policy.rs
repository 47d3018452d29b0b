//! The one permission policy. Every state change, and every read of private
//! data, asks [`decide`] first; nothing else in the code base compares roles.
//!
//! Roles are held within an organisation:
//! - coordinator: everything, network-wide;
//! - org-admin: manages their organisation (profile, schools, people and
//!   their roles, except the coordinator role);
//! - hr: sees their organisation's people (later: the mobility programme);
//! - trainer, member: their own account.
//!
//! Another organisation's private data is *hidden* (404), not *denied* (403):
//! the answer must not tell that it exists.

use maillage_domain::role::Role;
use uuid::Uuid;

use crate::{Actor, CoreError, CoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<'a> {
    /// The network administration pages (/admin).
    Administer,
    /// Name and describe the network (shown on every page).
    ManageNetwork,
    /// Add an organisation to the network.
    CreateOrganisation,
    /// Change an organisation's membership (status, dates).
    ManageMembership,
    /// Edit an organisation's public profile (description, website).
    EditOrganisation { organisation: Uuid },
    /// See an organisation's people, roles and pending invitations.
    ViewOrganisationPeople { organisation: Uuid },
    /// Invite someone into, or grant/revoke a role in, an organisation.
    AssignRole { organisation: Uuid, role: Role },
    /// Create a school attached to this organisation.
    CreateSchool { organisation: Uuid },
    /// Edit a school (the organisations it belongs to).
    ManageSchool { organisations: &'a [Uuid] },
    /// Read the audit log.
    ViewAudit,
    /// Use one's own account (/compte, API tokens).
    UseAccount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Logged in, knows the thing, may not do this: 403.
    Deny,
    /// Must not learn the thing exists: 404.
    Hide,
    /// Not logged in: log in first.
    Login,
}

pub fn decide(actor: &Actor, action: &Action<'_>) -> Decision {
    use Decision::*;
    if actor.user().is_none() {
        return Login;
    }
    if actor.is_coordinator() {
        return Allow;
    }
    let admin_of = |org: Uuid| actor.has_role_in(Role::OrgAdmin, org);
    match action {
        Action::UseAccount => Allow,
        Action::Administer
        | Action::ManageNetwork
        | Action::CreateOrganisation
        | Action::ManageMembership
        | Action::ViewAudit => Deny,
        Action::EditOrganisation { organisation } | Action::CreateSchool { organisation } => {
            if admin_of(*organisation) { Allow } else { Deny }
        }
        Action::ViewOrganisationPeople { organisation } => {
            if admin_of(*organisation) || actor.has_role_in(Role::Hr, *organisation) {
                Allow
            } else {
                Hide
            }
        }
        Action::AssignRole { organisation, role } => {
            if !admin_of(*organisation) {
                Hide
            } else if *role == Role::Coordinator {
                Deny
            } else {
                Allow
            }
        }
        Action::ManageSchool { organisations } => {
            if organisations.iter().any(|o| admin_of(*o)) {
                Allow
            } else {
                Deny
            }
        }
    }
}

/// `decide` as a `Result`, for operations: `policy::require(actor, &action)?`.
pub fn require(actor: &Actor, action: &Action<'_>) -> CoreResult<()> {
    match decide(actor, action) {
        Decision::Allow => Ok(()),
        Decision::Deny => Err(CoreError::Forbidden),
        Decision::Hide => Err(CoreError::NotFound),
        Decision::Login => Err(CoreError::Unauthenticated),
    }
}

/// `decide(..) == Allow`, for showing or hiding a link or a form.
pub fn allows(actor: &Actor, action: &Action<'_>) -> bool {
    decide(actor, action) == Decision::Allow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserCtx;

    fn actor(roles: &[(Role, Option<Uuid>)]) -> Actor {
        Actor::User(UserCtx {
            id: Uuid::now_v7(),
            email: "a@b.fr".into(),
            display_name: "A".into(),
            roles: roles.to_vec(),
        })
    }

    #[test]
    fn matrix() {
        let own = Uuid::now_v7();
        let other = Uuid::now_v7();
        let coordinator = actor(&[(Role::Coordinator, None)]);
        let admin = actor(&[(Role::OrgAdmin, Some(own))]);
        let hr = actor(&[(Role::Hr, Some(own))]);
        let member = actor(&[(Role::Member, Some(own))]);
        let people = |o| Action::ViewOrganisationPeople { organisation: o };
        let assign = |o, role| Action::AssignRole { organisation: o, role };

        assert_eq!(decide(&Actor::Anonymous, &Action::UseAccount), Decision::Login);
        assert_eq!(decide(&coordinator, &Action::Administer), Decision::Allow);
        assert_eq!(decide(&admin, &Action::Administer), Decision::Deny);
        assert_eq!(decide(&admin, &Action::ManageNetwork), Decision::Deny);
        assert_eq!(decide(&coordinator, &Action::ManageNetwork), Decision::Allow);
        assert_eq!(decide(&admin, &people(own)), Decision::Allow);
        assert_eq!(decide(&hr, &people(own)), Decision::Allow);
        assert_eq!(decide(&member, &people(own)), Decision::Hide);
        assert_eq!(decide(&admin, &people(other)), Decision::Hide);
        assert_eq!(decide(&admin, &assign(own, Role::Trainer)), Decision::Allow);
        assert_eq!(decide(&admin, &assign(own, Role::Coordinator)), Decision::Deny);
        assert_eq!(decide(&admin, &assign(other, Role::Member)), Decision::Hide);
        assert_eq!(decide(&hr, &assign(own, Role::Member)), Decision::Hide);
        assert_eq!(decide(&coordinator, &assign(other, Role::Coordinator)), Decision::Allow);
        assert_eq!(
            decide(
                &admin,
                &Action::ManageSchool {
                    organisations: &[other, own]
                }
            ),
            Decision::Allow
        );
        assert_eq!(
            decide(
                &admin,
                &Action::ManageSchool {
                    organisations: &[other]
                }
            ),
            Decision::Deny
        );
    }
}
