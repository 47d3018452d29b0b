//! What every page's frame needs: the network's name, who is logged in, the
//! current path (for `aria-current`) and a one-off notice after a redirect.

use std::{convert::Infallible, sync::Arc};

use axum::{extract::FromRequestParts, http::request::Parts};
use maillage_core::{
    Actor,
    policy::{self, Action},
};

use crate::AppState;

pub struct Layout {
    pub network_name: Arc<str>,
    pub user_name: Option<String>,
    pub can_administer: bool,
    pub path: String,
    pub notice: Option<&'static str>,
}

/// Messages shown after a redirect, by the `?info=` code. A fixed table:
/// the URL never carries free text into the page.
const NOTICES: &[(&str, &str)] = &[
    ("connecte", "Vous êtes connecté·e."),
    ("deconnecte", "Vous êtes déconnecté·e."),
    (
        "mot-de-passe-modifie",
        "Votre mot de passe a été modifié. Vos autres sessions ont été fermées.",
    ),
    (
        "mot-de-passe-reinitialise",
        "Votre mot de passe a été modifié, toutes vos sessions ont été fermées et vos jetons d'API révoqués. Connectez-vous avec le nouveau mot de passe.",
    ),
    (
        "jeton-revoque",
        "Le jeton a été révoqué : il ne permet plus d'accéder à l'API.",
    ),
    ("organisation-ajoutee", "L'organisation a été ajoutée au réseau."),
    ("adhesion-modifiee", "L'adhésion a été mise à jour."),
    ("profil-modifie", "La présentation a été mise à jour."),
    ("invitation-envoyee", "L'invitation a été envoyée par courriel."),
    ("role-modifie", "Les rôles ont été mis à jour."),
    ("ecole-creee", "L'école a été créée."),
    (
        "ecole-partagee",
        "L'école est désormais partagée avec cette organisation.",
    ),
    (
        "bienvenue",
        "Bienvenue ! Votre compte est créé et vous êtes connecté·e.",
    ),
    (
        "invitation-acceptee",
        "Invitation acceptée : votre nouveau rôle figure ci-dessous.",
    ),
    ("module-enregistre", "Le module a été enregistré."),
    ("parcours-enregistre", "Le parcours a été enregistré."),
    ("etape-ajoutee", "L'étape a été ajoutée au parcours."),
    ("etape-modifiee", "Les étapes du parcours ont été mises à jour."),
    ("parcours-rejoint", "Vous suivez désormais ce parcours."),
    ("parcours-quitte", "Vous ne suivez plus ce parcours."),
    ("candidature-envoyee", "Votre candidature a été envoyée à l'école."),
    (
        "decision-enregistree",
        "La décision est enregistrée ; la personne est prévenue par courriel.",
    ),
    (
        "session-creee",
        "La session est programmée : les inscriptions sont ouvertes.",
    ),
    ("inscription-confirmee", "Vous êtes inscrit·e à cette session."),
    (
        "liste-attente",
        "La session est complète : vous êtes sur la liste d'attente et serez prévenu·e par courriel si une place se libère.",
    ),
    ("inscription-annulee", "Votre inscription est annulée."),
    ("session-modifiee", "La session a été modifiée."),
    (
        "session-annulee",
        "La session est annulée : les personnes concernées sont prévenues par courriel.",
    ),
    (
        "demande-envoyee",
        "Votre demande est envoyée : elle est en attente de validation. Vous serez prévenu·e par courriel.",
    ),
    (
        "demande-traitee",
        "La décision est enregistrée ; la personne est prévenue par courriel.",
    ),
    (
        "personne-inscrite",
        "La personne est inscrite et prévenue par courriel.",
    ),
    (
        "inscription-retiree",
        "L'inscription est annulée ; la personne est prévenue par courriel.",
    ),
    ("invite-ajoute", "L'invité a été ajouté."),
    ("invite-retire", "L'invité a été retiré."),
    ("cycle-enregistre", "Le cycle a été enregistré."),
    ("periode-ajoutee", "La période de fermeture a été ajoutée."),
    ("periode-retiree", "La période de fermeture a été supprimée."),
    ("intervenant-enregistre", "L'intervenant a été enregistré."),
    (
        "module-repris",
        "Le module figure désormais dans le catalogue de votre école.",
    ),
    ("module-retire", "Le module a été retiré du catalogue de votre école."),
    ("fiche-modifiee", "La fiche a été mise à jour."),
    ("fiche-supprimee", "La fiche a été supprimée de l'annuaire."),
    (
        "profil-enregistre",
        "Votre fiche a été enregistrée : vos choix de visibilité s'appliquent dès maintenant.",
    ),
    ("photo-enregistree", "Votre photo a été enregistrée."),
    ("photo-retiree", "Votre photo a été retirée."),
    ("thematique-ajoutee", "La thématique a été ajoutée."),
    ("thematique-renommee", "La thématique a été renommée."),
    ("thematique-supprimee", "La thématique a été supprimée."),
    ("demi-journee-ajoutee", "La demi-journée a été ajoutée."),
    ("demi-journee-supprimee", "La demi-journée a été supprimée."),
    ("emargement-enregistre", "Les présences ont été enregistrées."),
    (
        "import-abandonne",
        "L'import a été abandonné : rien n'a été enregistré.",
    ),
    (
        "reseau-modifie",
        "Le nom et la présentation du réseau ont été enregistrés.",
    ),
    // Promotions and casting
    ("promotion-enregistree", "La promotion a été enregistrée."),
    ("membre-ajoute", "La personne a été ajoutée à la promotion."),
    ("membres-ajoutes", "Les personnes ont été ajoutées à la promotion."),
    ("membre-retire", "La personne a été retirée de la promotion."),
    ("donnees-enregistrees", "Les données de casting ont été enregistrées."),
    ("voeux-enregistres", "Vos vœux ont été enregistrés : l’école les voit."),
    (
        "casting-calcule",
        "Les groupes ont été constitués ; le rapport ci-dessous dit ce qui est respecté.",
    ),
    (
        "deplacement",
        "La personne a changé de groupe ; le rapport a été recalculé.",
    ),
    ("projet-attribue", "Le projet du groupe a été enregistré."),
    (
        "equipes",
        "Les membres de chaque groupe ont rejoint l’équipe de son projet.",
    ),
    // The project bank
    (
        "projet-propose",
        "Le projet est proposé : l'école est prévenue par courriel et l'examinera à l'appetizer.",
    ),
    ("projet-statut", "Le statut du projet est enregistré."),
    ("projet-modifie", "Le projet est enregistré."),
    ("projet-equipe", "L'équipe est mise à jour."),
    ("actualite-publiee", "L'actualité est publiée dans la vie du projet."),
    ("actualite-modifiee", "L'actualité est modifiée."),
    ("actualite-supprimee", "L'actualité est supprimée."),
    ("indicateur-cree", "L'indicateur est créé : ajoutez-lui ses mesures."),
    ("indicateur-supprime", "L'indicateur et ses mesures sont supprimés."),
    ("mesure-ajoutee", "La mesure est enregistrée."),
    ("mesure-supprimee", "La mesure est supprimée."),
    ("retour-ajoute", "Le retour est enregistré."),
    ("retour-supprime", "Le retour est supprimé."),
    ("commentaire-publie", "Le commentaire est publié."),
    ("commentaire-supprime", "Le commentaire est supprimé."),
    ("livrable-joint", "Le livrable est joint au projet."),
    ("livrable-supprime", "Le livrable est supprimé."),
    (
        "aide-demandee",
        "La demande d'aide est publiée : elle paraît dans le fil du réseau et sur la page « Entraide ».",
    ),
    (
        "aide-proposee",
        "Votre proposition d'aide est envoyée à l'équipe du projet.",
    ),
    ("aide-resolue", "La demande d'aide est marquée comme résolue."),
    (
        "aide-codeveloppement",
        "La demande devient une demande de co-développement : l'école est prévenue par courriel.",
    ),
];

pub fn notice(code: &str) -> Option<&'static str> {
    NOTICES.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

impl Layout {
    pub async fn new(state: &AppState, actor: &Actor, path: &str, query: Option<&str>) -> Layout {
        // The frame must render even when the database does not answer (it
        // frames the 500 page too): fall back to the default name.
        let network_name = maillage_core::network::name(&state.ctx)
            .await
            .unwrap_or_else(|_| maillage_core::network::DEFAULT_NAME.to_owned());
        let notice = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "info")
            .and_then(|(_, v)| notice(v));
        Layout {
            network_name: network_name.into(),
            user_name: actor.user().map(|u| u.display_name.clone()),
            can_administer: policy::allows(actor, &Action::Administer),
            path: path.to_owned(),
            notice,
        }
    }

    /// `aria-current="page"` for the nav entry of this section.
    pub fn current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        }
    }
}

impl FromRequestParts<AppState> for Layout {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let actor = parts.extensions.get::<Actor>().cloned().unwrap_or_default();
        Ok(Layout::new(state, &actor, parts.uri.path(), parts.uri.query()).await)
    }
}

/// The caller, as resolved by `auth::resolve_actor`.
pub struct Caller(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Caller(parts.extensions.get::<Actor>().cloned().unwrap_or_default()))
    }
}
