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
    /// Read the directory (what each profile shows is then decided per field
    /// by [`directory_scope`]).
    ViewDirectory,
    /// Edit the administrative fields of a profile of this organisation
    /// (names, function, unit, category, cadre, professional contact).
    EditProfileAdministrative { organisation: Uuid },
    /// Export directory results (CSV) — only what the exporter may see.
    ExportDirectory,
    /// Import an agents file into this organisation's directory.
    ImportPeople { organisation: Uuid },
    /// Manage the network's list of themes.
    ManageThemes,
    /// Read the catalogue of modules (which modules: [`catalogue_viewer`]).
    ViewCatalogue,
    /// Approve or refuse an enrolment request: as the requester's line
    /// manager, or for the school (its organisations' administrators) when
    /// the school decides.
    DecideEnrolment {
        line_manager: bool,
        school_decides: bool,
        organisations: &'a [Uuid],
    },
    /// Edit a school's evaluation question templates: the school's
    /// managers; hidden from everyone else (a school's templates are its own).
    ManageEvaluationTemplates { organisations: &'a [Uuid] },
    /// Read the aggregated, anonymous results of a session's questionnaires:
    /// the organising school's managers and the session's own trainers
    /// (facts found by `evaluations`, decided here).
    ViewEvaluationResults { manages_school: bool, trains_session: bool },
    /// Answer a questionnaire: the people invited to it.
    AnswerEvaluation { invited: bool },
    /// Read the yearly training statistics of these organisations (empty:
    /// the whole network). Figures only, never names.
    ViewStatistics { organisations: &'a [Uuid] },
    /// Fill in a session's attendance and print its sign-in sheet: the
    /// organising school's managers and the session's own trainers (facts
    /// found by `attendance`, decided here).
    RecordAttendance { manages_school: bool, trains_session: bool },
    /// Obtain a session attendance attestation: the holder their own, the
    /// organising school's managers anyone's.
    ObtainAttestation { holder: bool, manages_school: bool },
    /// See a promotion (its name, dates, path, members and groups): its
    /// members and the people of its school's organisations; hidden from
    /// everyone else.
    ViewPromotion { member: bool, organisations: &'a [Uuid] },
    /// Create and edit a school's promotions, their members and casting
    /// data, and run or adjust the casting: the school's managers (the
    /// administrators of its organisations).
    ManagePromotion { organisations: &'a [Uuid] },
    /// Propose a project as sponsor (commanditaire) on behalf of an
    /// organisation: its people. The school's managers propose for anyone.
    ProposeProject { organisation: Uuid, manages_school: bool },
    /// Screen a project at the appetizer (retained or not, and why), give it
    /// to a promotion, record its jury and outcome: the school's managers.
    ScreenProject { manages_school: bool },
    /// Edit what a project says, its timeline, indicators, users' feedback,
    /// deliverables and help requests: its team and its school. (Which
    /// projects someone may see at all: [`project_viewer`].)
    EditProject { team: bool, manages_school: bool },
    /// Comment on a project: its sponsor, its team and its school.
    CommentProject {
        sponsor: bool,
        team: bool,
        manages_school: bool,
    },
    /// Offer help on a project's help request: anyone who sees the project
    /// (`projects::load` decided that), except its own team, who asked.
    OfferHelp { team: bool },
    /// Export the whole project bank (CSV): the network's and the
    /// organisations' administrators — only what they may see.
    ExportProjects,
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
        Action::UseAccount | Action::ViewDirectory | Action::ViewCatalogue => Allow,
        Action::ManageEvaluationTemplates { organisations } => {
            if organisations.iter().any(|o| admin_of(*o)) {
                Allow
            } else {
                Hide
            }
        }
        Action::ViewEvaluationResults {
            manages_school,
            trains_session,
        } => {
            if *manages_school || *trains_session {
                Allow
            } else {
                Deny
            }
        }
        Action::AnswerEvaluation { invited } => {
            if *invited {
                Allow
            } else {
                Deny
            }
        }
        Action::ViewStatistics { organisations } => {
            let manages = |org: Uuid| admin_of(org) || actor.has_role_in(Role::Hr, org);
            let allowed = if organisations.is_empty() {
                // The network's totals: anyone who manages an organisation,
                // to compare theirs with.
                actor.user().is_some_and(|u| {
                    u.roles
                        .iter()
                        .any(|(r, o)| o.is_some() && matches!(r, Role::OrgAdmin | Role::Hr))
                })
            } else {
                organisations.iter().any(|o| manages(*o))
            };
            if allowed { Allow } else { Deny }
        }
        Action::Administer
        | Action::ManageNetwork
        | Action::CreateOrganisation
        | Action::ManageMembership
        | Action::ViewAudit
        | Action::ManageThemes => Deny,
        Action::EditProfileAdministrative { organisation } | Action::ImportPeople { organisation } => {
            if admin_of(*organisation) { Allow } else { Hide }
        }
        Action::ExportDirectory => {
            if actor
                .user()
                .is_some_and(|u| u.roles.iter().any(|(r, _)| *r == Role::OrgAdmin))
            {
                Allow
            } else {
                Deny
            }
        }
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
        Action::RecordAttendance {
            manages_school,
            trains_session,
        } => {
            if *manages_school || *trains_session {
                Allow
            } else {
                Deny
            }
        }
        Action::ObtainAttestation { holder, manages_school } => {
            if *holder || *manages_school {
                Allow
            } else {
                Deny
            }
        }
        Action::ViewPromotion { member, organisations } => {
            let belongs = actor.user().is_some_and(|u| {
                u.roles
                    .iter()
                    .any(|(_, o)| o.is_some_and(|o| organisations.contains(&o)))
            });
            if *member || belongs { Allow } else { Hide }
        }
        Action::ManagePromotion { organisations } => {
            if organisations.iter().any(|o| admin_of(*o)) {
                Allow
            } else {
                Deny
            }
        }
        Action::ProposeProject {
            organisation,
            manages_school,
        } => {
            let belongs = actor
                .user()
                .is_some_and(|u| u.roles.iter().any(|(_, o)| *o == Some(*organisation)));
            if belongs || *manages_school { Allow } else { Deny }
        }
        Action::ScreenProject { manages_school } => {
            if *manages_school {
                Allow
            } else {
                Deny
            }
        }
        Action::EditProject { team, manages_school } => {
            if *team || *manages_school {
                Allow
            } else {
                Deny
            }
        }
        Action::CommentProject {
            sponsor,
            team,
            manages_school,
        } => {
            if *sponsor || *team || *manages_school {
                Allow
            } else {
                Deny
            }
        }
        Action::OfferHelp { team } => {
            if *team {
                Deny
            } else {
                Allow
            }
        }
        Action::ExportProjects => {
            if actor
                .user()
                .is_some_and(|u| u.roles.iter().any(|(r, _)| *r == Role::OrgAdmin))
            {
                Allow
            } else {
                Deny
            }
        }
        Action::ManageSchool { organisations } => {
            if organisations.iter().any(|o| admin_of(*o)) {
                Allow
            } else {
                Deny
            }
        }
        Action::DecideEnrolment {
            line_manager,
            school_decides,
            organisations,
        } => {
            if *line_manager || (*school_decides && organisations.iter().any(|o| admin_of(*o))) {
                Allow
            } else {
                Hide
            }
        }
    }
}

/// Who the viewer is to each profile of the directory: the coordinator sees
/// every field the administrators see; an org-admin sees their organisation's
/// profiles as an administrator; anyone sees their own profile whole and
/// their organisations' profiles at « organisation » level. `None`: not
/// logged in, no directory at all.
pub fn directory_scope(actor: &Actor) -> Option<maillage_db::profiles::Scope> {
    let user = actor.user()?;
    let mut scope = maillage_db::profiles::Scope {
        everything: actor.is_coordinator(),
        me: Some(user.id),
        ..Default::default()
    };
    for (role, org) in &user.roles {
        let Some(org) = *org else { continue };
        if *role == Role::OrgAdmin && !scope.admin_of.contains(&org) {
            scope.admin_of.push(org);
        }
        if !scope.member_of.contains(&org) {
            scope.member_of.push(org);
        }
    }
    Some(scope)
}

/// Which modules of the catalogue a viewer sees besides the shared ones:
/// those of the schools of their organisations (all, for the coordinator).
pub fn catalogue_viewer(actor: &Actor) -> Option<maillage_db::modules::Viewer> {
    let user = actor.user()?;
    let mut member_of: Vec<Uuid> = user.roles.iter().filter_map(|(_, o)| *o).collect();
    member_of.sort_unstable();
    member_of.dedup();
    Some(maillage_db::modules::Viewer {
        everything: actor.is_coordinator(),
        member_of,
    })
}

/// Who the viewer is to the project bank: a project is visible to its
/// team, its creator and its school's managers whatever its visibility
/// (« brouillon »), to the people of its organisations (sponsor, concerned
/// organisations, school's organisations) from « organisation », and to
/// the whole network at « reseau ». The coordinator sees every project. The
/// condition itself is one SQL text: `maillage_db::projects::visible_sql`.
pub fn project_viewer(actor: &Actor) -> Option<maillage_db::projects::Viewer> {
    let user = actor.user()?;
    let mut member_of: Vec<Uuid> = user.roles.iter().filter_map(|(_, o)| *o).collect();
    member_of.sort_unstable();
    member_of.dedup();
    let mut admin_of: Vec<Uuid> = user
        .roles
        .iter()
        .filter(|(r, _)| *r == Role::OrgAdmin)
        .filter_map(|(_, o)| *o)
        .collect();
    admin_of.sort_unstable();
    admin_of.dedup();
    Some(maillage_db::projects::Viewer {
        everything: actor.is_coordinator(),
        user_id: user.id,
        member_of,
        admin_of,
    })
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
        assert_eq!(decide(&Actor::Anonymous, &Action::ViewDirectory), Decision::Login);
        assert_eq!(decide(&member, &Action::ViewDirectory), Decision::Allow);
        let edit = |o| Action::EditProfileAdministrative { organisation: o };
        assert_eq!(decide(&admin, &edit(own)), Decision::Allow);
        assert_eq!(decide(&admin, &edit(other)), Decision::Hide);
        assert_eq!(decide(&hr, &edit(own)), Decision::Hide);
        assert_eq!(decide(&admin, &Action::ExportDirectory), Decision::Allow);
        assert_eq!(decide(&hr, &Action::ExportDirectory), Decision::Deny);
        assert_eq!(
            decide(&admin, &Action::ImportPeople { organisation: other }),
            Decision::Hide
        );
        assert_eq!(decide(&admin, &Action::ManageThemes), Decision::Deny);
        fn stats(organisations: &[Uuid]) -> Action<'_> {
            Action::ViewStatistics { organisations }
        }
        assert_eq!(decide(&admin, &stats(&[own])), Decision::Allow);
        assert_eq!(decide(&hr, &stats(&[own])), Decision::Allow);
        assert_eq!(decide(&admin, &stats(&[other])), Decision::Deny);
        assert_eq!(decide(&admin, &stats(&[])), Decision::Allow);
        assert_eq!(decide(&member, &stats(&[])), Decision::Deny);
        assert_eq!(decide(&member, &stats(&[own])), Decision::Deny);
        assert_eq!(decide(&coordinator, &stats(&[other])), Decision::Allow);
        let record = |m, t| Action::RecordAttendance {
            manages_school: m,
            trains_session: t,
        };
        assert_eq!(decide(&admin, &record(true, false)), Decision::Allow);
        assert_eq!(decide(&member, &record(false, true)), Decision::Allow);
        assert_eq!(decide(&member, &record(false, false)), Decision::Deny);
        assert_eq!(decide(&Actor::Anonymous, &record(true, true)), Decision::Login);
        let attest = |h, m| Action::ObtainAttestation {
            holder: h,
            manages_school: m,
        };
        assert_eq!(decide(&member, &attest(true, false)), Decision::Allow);
        assert_eq!(decide(&hr, &attest(false, false)), Decision::Deny);
        assert_eq!(decide(&admin, &attest(false, true)), Decision::Allow);
        // Promotions and projects
        let own_orgs = [own];
        let other_orgs = [other];
        let view_promo = |m, o| Action::ViewPromotion {
            member: m,
            organisations: o,
        };
        assert_eq!(decide(&member, &view_promo(false, &own_orgs)), Decision::Allow);
        assert_eq!(decide(&member, &view_promo(true, &other_orgs)), Decision::Allow);
        assert_eq!(decide(&member, &view_promo(false, &other_orgs)), Decision::Hide);
        let manage_promo = |o| Action::ManagePromotion { organisations: o };
        assert_eq!(decide(&admin, &manage_promo(&own_orgs)), Decision::Allow);
        assert_eq!(decide(&admin, &manage_promo(&other_orgs)), Decision::Deny);
        assert_eq!(decide(&hr, &manage_promo(&own_orgs)), Decision::Deny);
        let propose = |o, m| Action::ProposeProject {
            organisation: o,
            manages_school: m,
        };
        assert_eq!(decide(&member, &propose(own, false)), Decision::Allow);
        assert_eq!(decide(&member, &propose(other, false)), Decision::Deny);
        assert_eq!(decide(&admin, &propose(other, true)), Decision::Allow);
        assert_eq!(
            decide(&admin, &Action::ScreenProject { manages_school: false }),
            Decision::Deny
        );
        let edit_project = |t, m| Action::EditProject {
            team: t,
            manages_school: m,
        };
        assert_eq!(decide(&member, &edit_project(true, false)), Decision::Allow);
        assert_eq!(decide(&member, &edit_project(false, false)), Decision::Deny);
        let comment = |s| Action::CommentProject {
            sponsor: s,
            team: false,
            manages_school: false,
        };
        assert_eq!(decide(&member, &comment(true)), Decision::Allow);
        assert_eq!(decide(&member, &comment(false)), Decision::Deny);
        assert_eq!(decide(&member, &Action::OfferHelp { team: false }), Decision::Allow);
        assert_eq!(decide(&member, &Action::OfferHelp { team: true }), Decision::Deny);
        assert_eq!(decide(&admin, &Action::ExportProjects), Decision::Allow);
        assert_eq!(decide(&member, &Action::ExportProjects), Decision::Deny);
        assert_eq!(decide(&Actor::Anonymous, &Action::ExportProjects), Decision::Login);
        assert_eq!(decide(&coordinator, &Action::ManageThemes), Decision::Allow);
        assert_eq!(
            decide(&admin, &Action::ManageEvaluationTemplates { organisations: &[own] }),
            Decision::Allow
        );
        assert_eq!(
            decide(
                &admin,
                &Action::ManageEvaluationTemplates {
                    organisations: &[other]
                }
            ),
            Decision::Hide
        );
        assert_eq!(
            decide(&member, &Action::ManageEvaluationTemplates { organisations: &[own] }),
            Decision::Hide
        );
        let results = |m, t| Action::ViewEvaluationResults {
            manages_school: m,
            trains_session: t,
        };
        assert_eq!(decide(&member, &results(false, true)), Decision::Allow);
        assert_eq!(decide(&member, &results(false, false)), Decision::Deny);
        assert_eq!(decide(&admin, &results(true, false)), Decision::Allow);
        assert_eq!(decide(&coordinator, &results(false, false)), Decision::Allow);
        assert_eq!(
            decide(&member, &Action::AnswerEvaluation { invited: true }),
            Decision::Allow
        );
        assert_eq!(
            decide(&admin, &Action::AnswerEvaluation { invited: false }),
            Decision::Deny
        );
        let scope = directory_scope(&admin).expect("scope");
        assert_eq!(
            (scope.admin_of, scope.member_of, scope.everything),
            (vec![own], vec![own], false)
        );
        assert!(directory_scope(&Actor::Anonymous).is_none());
        assert!(directory_scope(&coordinator).expect("scope").everything);
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
        let decide_for = |line_manager, school_decides| Action::DecideEnrolment {
            line_manager,
            school_decides,
            organisations: std::slice::from_ref(&own),
        };
        assert_eq!(decide(&member, &decide_for(true, false)), Decision::Allow);
        assert_eq!(decide(&member, &decide_for(false, true)), Decision::Hide);
        assert_eq!(decide(&admin, &decide_for(false, true)), Decision::Allow);
        assert_eq!(decide(&admin, &decide_for(false, false)), Decision::Hide);
        assert_eq!(decide(&coordinator, &decide_for(false, false)), Decision::Allow);
    }
}
