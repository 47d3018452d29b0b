//! Demo projects of the bank (after the promotions demo, before the life
//! demo, which finds these projects by title: [`TITLES`]).
//!
//! Fifteen projects of Alès's school (most), Manag'Est and the Pôle
//! territorial's school, at every status: proposed, retained, not retained
//! (with why), proposed again, taken up by another school, in progress,
//! presented to a jury, implemented, partly or not implemented (with why),
//! abandoned (with why); drafts, « organisation » and « réseau » projects.
//! The past promotion's three casting groups carry three projects (their
//! members are the teams, `promotion_groups` points at them); the current
//! promotion carries two more. Each status has its line in the history,
//! dated as it happened.
//!
//! Written straight to storage, like the other demos: no mail is sent.

use maillage_db::{Ex, organisations, projects as db, promotions, schools};
use maillage_domain::{
    project::{Status, Visibility},
    search::index_terms,
};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::{CoreResult, Ctx};

const ALES_SCHOOL: &str = "École des cadres d'Alès Agglomération";
const MANAGEST: &str = "Manag'Est";
const POLE_SCHOOL: &str = "École de la coopération du Pôle territorial de l'Albigeois et des Bastides";

const ALES_AGGLO: &str = "200066918";
const VILLE_ALES: &str = "213000078";
const GRAND_EST: &str = "200052264";
const POLE_CC_A: &str = "200034031";
const POLE_CC_B: &str = "200040905";

/// The exact titles of the demo projects (the life demo looks them up).
pub const TITLES: [&str; 15] = [
    "Accueil des usagers : un guichet unique à l'hôtel de ville",
    "Télétravail : une charte construite avec les équipes",
    "Parcours d'intégration des nouveaux agents",
    "Dématérialiser les demandes d'intervention sur la voirie",
    "Qualité de vie au travail dans les crèches communautaires",
    "Achats responsables : des clauses environnementales dans les marchés de fournitures",
    "Réduire les délais de paiement des fournisseurs",
    "Mutualiser les véhicules de service entre la Ville et l'Agglomération",
    "Un référent handicap dans chaque direction",
    "Un espace de travail partagé pour les agents en mobilité",
    "Simplifier les demandes de subventions des associations",
    "Égalité femmes-hommes : objectiver les promotions internes",
    "Mutualiser l'entretien des bâtiments communaux entre communes voisines",
    "Accueil France services : harmoniser l'accueil des cinq communautés de communes",
    "Covoiturage domicile-travail des agents intercommunaux",
];

#[derive(Clone, Copy)]
enum School {
    Ales,
    ManagEst,
    Pole,
}

/// Which people make the team.
#[derive(Clone, Copy)]
enum Team {
    /// A casting group of the past promotion (and the project is its group's).
    PastGroup(i64),
    /// Members of the current promotion, from this rank, this many.
    Current(usize, usize),
    /// Profiles of the sponsor's organisation, from this rank, this many.
    Sponsor(i64, i64),
    /// The demo member account (Camille) with current promotion members.
    CurrentWithMember(usize, usize),
}

/// One step of the history: status, why, when (days before today), and
/// the school it goes to when it changes (a take-up).
struct Step {
    status: Status,
    reason: &'static str,
    days_ago: i64,
    school: Option<School>,
}

const fn step(status: Status, days_ago: i64) -> Step {
    Step {
        status,
        reason: "",
        days_ago,
        school: None,
    }
}

const fn why(status: Status, reason: &'static str, days_ago: i64) -> Step {
    Step {
        status,
        reason,
        days_ago,
        school: None,
    }
}

struct Spec {
    title: &'static str,
    school: School,
    sponsor: &'static str,
    concerned: &'static [&'static str],
    visibility: Visibility,
    themes: &'static [&'static str],
    team: Team,
    problem: &'static str,
    context: &'static str,
    expected_impact: &'static str,
    solution: &'static str,
    impact: &'static str,
    tools: &'static str,
    lessons: &'static str,
    contact: &'static str,
    jury: &'static str,
    steps: Vec<Step>,
}

fn specs() -> Vec<Spec> {
    use Status::*;
    vec![
        Spec {
            title: TITLES[0],
            school: School::Ales,
            sponsor: VILLE_ALES,
            concerned: &[ALES_AGGLO],
            visibility: Visibility::Network,
            themes: &["Design de service", "Participation citoyenne"],
            team: Team::PastGroup(1),
            problem: "Les usagers passent d'un guichet à l'autre pour une même démarche (état civil, cantine, \
                      stationnement) : files d'attente, allers-retours et agents d'accueil débordés aux heures de pointe.",
            context: "L'hôtel de ville reçoit 300 personnes par jour ; quatre services ont chacun leur accueil.",
            expected_impact: "Un seul point d'entrée, moins d'attente, des agents d'accueil polyvalents.",
            solution: "Un guichet unique avec prise de rendez-vous, une formation croisée des agents d'accueil et \
                       un affichage des démarches conçu avec des usagers.",
            impact: "Attente moyenne passée de 25 à 9 minutes ; 80 % des démarches traitées au premier contact.",
            tools: "Design de service (parcours usager, immersion au guichet), codéveloppement entre responsables d'accueil.",
            lessons: "Associer les agents d'accueil dès le diagnostic : ce sont eux qui ont proposé la formation croisée. \
                      Prévoir la signalétique tôt, elle a pris trois mois.",
            contact: "Direction de la relation aux usagers, Ville d'Alès",
            jury: "Direction générale des services et élus délégués",
            steps: vec![
                step(Proposed, 500),
                step(Retained, 470),
                step(InProgress, 440),
                step(Presented, 300),
                step(Implemented, 200),
            ],
        },
        Spec {
            title: TITLES[1],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[VILLE_ALES],
            visibility: Visibility::Organisation,
            themes: &["Ressources humaines", "Conduite du changement"],
            team: Team::PastGroup(2),
            problem: "Le télétravail s'est installé sans règles communes : chaque service décide, les agents des \
                      services techniques se sentent exclus et les encadrants manquent de repères.",
            context: "Accord-cadre national de 2021 ; 40 % des agents administratifs télétravaillent un jour par semaine.",
            expected_impact: "Une charte connue de tous, des critères d'éligibilité clairs, des collectifs préservés.",
            solution: "Une charte construite en ateliers avec les équipes, une grille d'éligibilité par activité \
                       plutôt que par métier, un guide pour les encadrants.",
            impact: "Charte adoptée en comité social territorial ; appliquée dans les services administratifs.",
            tools: "Ateliers participatifs, théâtre-forum sur les situations de tension, enquête auprès des agents.",
            lessons: "Raisonner par activité ouvre le télétravail à des agents qu'on croyait exclus.",
            contact: "Direction des ressources humaines, Alès Agglomération",
            jury: "Direction générale et représentants du personnel",
            steps: vec![
                step(Proposed, 500),
                step(Retained, 470),
                step(InProgress, 440),
                step(Presented, 300),
                why(
                    PartlyImplemented,
                    "Charte appliquée dans les services administratifs ; les services techniques attendent \
                     l'équipement en ordinateurs portables, prévu au budget de l'an prochain.",
                    150,
                ),
            ],
        },
        Spec {
            title: TITLES[2],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[],
            visibility: Visibility::Network,
            themes: &["Ressources humaines", "Management"],
            team: Team::PastGroup(3),
            problem: "Un agent sur cinq quitte la collectivité dans l'année qui suit son arrivée ; l'accueil des \
                      nouveaux agents dépend entièrement de leur service.",
            context: "Forte concurrence avec les employeurs voisins sur les métiers techniques et de la petite enfance.",
            expected_impact: "Moins de départs la première année, des nouveaux agents opérationnels plus vite.",
            solution: "Un parcours d'intégration sur six mois : journée d'accueil, binôme, points d'étape avec le \
                       manager, découverte des autres services.",
            impact: "",
            tools: "Entretiens avec des agents arrivés récemment, cartographie de parcours, prototypes testés sur deux services.",
            lessons: "Un projet porté par une seule personne de la direction commanditaire est fragile : prévoir \
                      deux interlocuteurs.",
            contact: "Service Carrières et paie, Alès Agglomération",
            jury: "Direction générale des services",
            steps: vec![
                step(Proposed, 500),
                step(Retained, 470),
                step(InProgress, 440),
                step(Presented, 300),
                why(
                    NotImplemented,
                    "Le départ de la directrice des ressources humaines a suspendu le projet ; la nouvelle \
                     direction souhaite le reprendre l'an prochain.",
                    120,
                ),
            ],
        },
        Spec {
            title: TITLES[3],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[VILLE_ALES],
            visibility: Visibility::Network,
            themes: &["Numérique", "Design de service"],
            team: Team::CurrentWithMember(0, 4),
            problem: "Les demandes d'intervention sur la voirie (nids-de-poule, éclairage, signalisation) arrivent \
                      par téléphone, courrier et courriel : beaucoup se perdent et les usagers ne savent pas où en est leur demande.",
            context: "1 200 demandes par an, trois circuits différents, aucun suivi commun.",
            expected_impact: "Une demande enregistrée une seule fois, suivie jusqu'à l'intervention, l'usager informé.",
            solution: "",
            impact: "",
            tools: "Design de service, prototypage rapide d'un formulaire, tests avec des usagers en mairie annexe.",
            lessons: "",
            contact: "Service Mobilités, Alès Agglomération",
            jury: "",
            steps: vec![step(Proposed, 150), step(Retained, 120), step(InProgress, 60)],
        },
        Spec {
            title: TITLES[4],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[],
            visibility: Visibility::Organisation,
            themes: &["Ressources humaines", "Management"],
            team: Team::Current(8, 4),
            problem: "Absentéisme élevé et difficultés de recrutement dans les crèches : les équipes décrivent \
                      fatigue, bruit et manque de temps d'échange.",
            context: "Six crèches communautaires, 90 agents, deux postes vacants depuis un an.",
            expected_impact: "Des conditions de travail améliorées avec les équipes, moins d'absences.",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "Direction de la petite enfance, Alès Agglomération",
            jury: "",
            steps: vec![step(Proposed, 130), step(Retained, 110)],
        },
        Spec {
            title: TITLES[5],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[],
            visibility: Visibility::Network,
            themes: &["Commande publique", "Transition écologique"],
            team: Team::Sponsor(0, 0),
            problem: "Les marchés de fournitures ne contiennent presque aucun critère environnemental ; les \
                      acheteurs ne savent pas lesquels retenir sans fragiliser la concurrence.",
            context: "Schéma de promotion des achats socialement et écologiquement responsables à adopter.",
            expected_impact: "Des clauses types, une part d'achats responsables mesurée.",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "Service de la commande publique, Alès Agglomération",
            jury: "",
            steps: vec![
                step(Proposed, 140),
                why(
                    NotRetained,
                    "Sujet jugé trop technique pour un projet de promotion : orienté vers le réseau des acheteurs \
                     publics de la région, qui a un groupe de travail sur les clauses environnementales.",
                    115,
                ),
            ],
        },
        Spec {
            title: TITLES[6],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[],
            visibility: Visibility::Organisation,
            themes: &["Finances"],
            team: Team::Sponsor(0, 0),
            problem: "Le délai global de paiement dépasse 40 jours ; des petites entreprises locales refusent de \
                      répondre à nos consultations.",
            context: "Circuit de la facture entre services, finances et trésorerie ; dématérialisation partielle.",
            expected_impact: "Un délai ramené sous 30 jours, des fournisseurs locaux qui reviennent.",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "Direction des finances, Alès Agglomération",
            jury: "",
            steps: vec![step(Proposed, 20)],
        },
        Spec {
            title: TITLES[7],
            school: School::Ales,
            sponsor: VILLE_ALES,
            concerned: &[ALES_AGGLO],
            visibility: Visibility::Network,
            themes: &["Transition écologique", "Finances"],
            team: Team::Sponsor(0, 0),
            problem: "La Ville et l'Agglomération ont chacune leur parc de véhicules de service, sous-utilisé \
                      (moins de 30 % du temps) et vieillissant.",
            context: "Obligation de verdissement des flottes ; budgets d'investissement contraints.",
            expected_impact: "Un parc commun réservable, moins de véhicules, plus de véhicules électriques.",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "Direction du patrimoine, Ville d'Alès",
            jury: "",
            steps: vec![
                step(Proposed, 480),
                why(
                    NotRetained,
                    "Aucune promotion disponible cette année-là pour un projet de cette taille : à proposer à la \
                     promotion suivante.",
                    460,
                ),
                why(Proposed, "Proposé à nouveau pour la promotion en cours.", 90),
            ],
        },
        Spec {
            title: TITLES[8],
            school: School::Ales,
            sponsor: VILLE_ALES,
            concerned: &[],
            visibility: Visibility::Network,
            themes: &["Ressources humaines", "Égalité femmes-hommes"],
            team: Team::Sponsor(4, 3),
            problem: "Les agents en situation de handicap ne savent pas à qui s'adresser pour un aménagement de \
                      poste ; les demandes attendent des mois.",
            context: "Taux d'emploi légal atteint, mais peu de maintiens dans l'emploi réussis.",
            expected_impact: "Un interlocuteur identifié dans chaque direction, des aménagements plus rapides.",
            solution: "Un réseau de référents formés, une fiche réflexe pour les encadrants.",
            impact: "",
            tools: "Entretiens avec des agents concernés, benchmark auprès de trois collectivités du réseau.",
            lessons: "Vérifier avant de lancer un projet qu'une réorganisation ne va pas y répondre autrement.",
            contact: "Mission handicap, Ville d'Alès",
            jury: "",
            steps: vec![
                step(Proposed, 800),
                step(Retained, 780),
                step(InProgress, 760),
                why(
                    Abandoned,
                    "Le besoin a été couvert par la création d'un poste de référent handicap à la direction des \
                     ressources humaines, décidée en cours de projet.",
                    700,
                ),
            ],
        },
        Spec {
            title: TITLES[9],
            school: School::Ales,
            sponsor: ALES_AGGLO,
            concerned: &[],
            visibility: Visibility::Draft,
            themes: &["Numérique", "Management"],
            team: Team::Sponsor(8, 2),
            problem: "Les agents qui se déplacent entre sites (contrôleurs, techniciens) n'ont nulle part où \
                      travailler entre deux rendez-vous.",
            context: "Quatre sites principaux, des bureaux vides le vendredi.",
            expected_impact: "",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "",
            jury: "",
            steps: vec![step(Proposed, 10)],
        },
        Spec {
            title: TITLES[10],
            school: School::ManagEst,
            sponsor: GRAND_EST,
            concerned: &[],
            visibility: Visibility::Network,
            themes: &["Numérique", "Participation citoyenne"],
            team: Team::Sponsor(0, 4),
            problem: "Les associations remplissent un dossier différent pour chaque dispositif de subvention, \
                      souvent pour de petits montants ; les agents ressaisissent tout.",
            context: "4 000 dossiers par an, douze dispositifs, trois directions instructrices.",
            expected_impact: "Un dossier unique, des pièces fournies une seule fois, une instruction plus rapide.",
            solution: "Un dossier unique en ligne et un coffre-fort des pièces de l'association, partagé par les directions.",
            impact: "Durée d'instruction réduite d'un tiers ; 70 % des associations disent gagner du temps.",
            tools: "Enquête auprès des associations, ateliers inter-directions, expérimentation sur deux dispositifs.",
            lessons: "Commencer par les petits dispositifs : ils convainquent les directions réticentes.",
            contact: "Direction des sports, de la jeunesse et de la vie associative, Région Grand Est",
            jury: "Comité de direction générale",
            steps: vec![
                step(Proposed, 720),
                step(Retained, 700),
                step(InProgress, 650),
                step(Presented, 480),
                step(Implemented, 360),
            ],
        },
        Spec {
            title: TITLES[11],
            school: School::ManagEst,
            sponsor: GRAND_EST,
            concerned: &[],
            visibility: Visibility::Organisation,
            themes: &["Égalité femmes-hommes", "Ressources humaines"],
            team: Team::Sponsor(4, 4),
            problem: "Les femmes représentent 60 % des agents mais 35 % des promotions internes de catégorie A ; \
                      personne ne sait expliquer l'écart.",
            context: "Plan d'action égalité professionnelle obligatoire ; données RH dispersées.",
            expected_impact: "Des données fiables sur chaque étape des promotions, des leviers d'action identifiés.",
            solution: "Un tableau de bord de chaque campagne de promotion et une revue des critères avec les jurys.",
            impact: "",
            tools: "Analyse de données, entretiens avec des lauréates et des candidates non retenues.",
            lessons: "",
            contact: "Mission égalité, Région Grand Est",
            jury: "Directrice générale des services et comité égalité",
            steps: vec![
                step(Proposed, 300),
                step(Retained, 280),
                step(InProgress, 250),
                step(Presented, 30),
            ],
        },
        Spec {
            title: TITLES[12],
            school: School::Pole,
            sponsor: POLE_CC_A,
            concerned: &[POLE_CC_B],
            visibility: Visibility::Network,
            themes: &["Finances", "Management"],
            team: Team::Sponsor(0, 0),
            problem: "Chaque commune entretient seule ses bâtiments (écoles, salles des fêtes) : petits contrats \
                      chers, interventions lentes, aucune programmation.",
            context: "Communes de moins de 2 000 habitants, sans service technique pour la plupart.",
            expected_impact: "Un entretien programmé et mutualisé, des coûts réduits.",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "Direction générale des services de la communauté de communes",
            jury: "",
            steps: vec![
                step(Proposed, 200),
                why(
                    NotRetained,
                    "Projet intercommunal hors du territoire de l'école : à reprendre par l'école du Pôle territorial.",
                    180,
                ),
                Step {
                    status: Proposed,
                    reason: "Repris par l'école du Pôle territorial, à qui le sujet revient.",
                    days_ago: 170,
                    school: Some(School::Pole),
                },
                step(Retained, 150),
            ],
        },
        Spec {
            title: TITLES[13],
            school: School::Pole,
            sponsor: POLE_CC_B,
            concerned: &[POLE_CC_A],
            visibility: Visibility::Network,
            themes: &["Design de service", "Participation citoyenne"],
            team: Team::Sponsor(0, 3),
            problem: "Les cinq espaces France services du Pôle n'accueillent pas de la même façon : horaires, \
                      démarches traitées, orientation des usagers diffèrent.",
            context: "Labellisation France services à renouveler ; usagers souvent âgés et sans véhicule.",
            expected_impact: "Un même service partout, des usagers orientés vers le bon espace.",
            solution: "",
            impact: "",
            tools: "Immersions croisées des conseillers, questionnaire aux usagers.",
            lessons: "",
            contact: "Coordination France services du Pôle territorial",
            jury: "",
            steps: vec![step(Proposed, 160), step(Retained, 140), step(InProgress, 100)],
        },
        Spec {
            title: TITLES[14],
            school: School::Pole,
            sponsor: POLE_CC_A,
            concerned: &[],
            visibility: Visibility::Draft,
            themes: &["Transition écologique"],
            team: Team::Sponsor(3, 2),
            problem: "La plupart des agents viennent seuls en voiture, parfois de 40 km ; les frais de carburant \
                      pèsent sur les petits salaires.",
            context: "",
            expected_impact: "",
            solution: "",
            impact: "",
            tools: "",
            lessons: "",
            contact: "",
            jury: "",
            steps: vec![step(Proposed, 5)],
        },
    ]
}

fn at(today: Date, days_ago: i64) -> (Date, OffsetDateTime) {
    let day = today - Duration::days(days_ago);
    (
        day,
        day.with_time(Time::from_hms(9, 30, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc(),
    )
}

async fn org(ex: Ex<'_>, siren: &str) -> CoreResult<Option<Uuid>> {
    Ok(organisations::by_siren(ex, siren).await?.map(|o| o.id))
}

pub async fn seed(ctx: &Ctx) -> CoreResult<()> {
    let today = crate::dates::paris_today();
    let mut tx = ctx.db.begin().await?;
    let all_schools = schools::all(tx.ex()).await?;
    let school_id = |s: School| {
        let name = match s {
            School::Ales => ALES_SCHOOL,
            School::ManagEst => MANAGEST,
            School::Pole => POLE_SCHOOL,
        };
        all_schools.iter().find(|x| x.name == name).map(|x| x.id)
    };
    let themes = maillage_db::profiles::themes(tx.ex()).await?;
    // The promotions demo's promotions of Alès's school, if it made them.
    let past = promotions::by_name(tx.ex(), &super::promotions::past_name(today)).await?;
    let current = promotions::by_name(tx.ex(), &super::promotions::current_name(today)).await?;
    let past_members = match &past {
        Some(p) => promotions::members(tx.ex(), p.id).await?,
        None => Vec::new(),
    };
    let current_members = match &current {
        Some(p) => promotions::members(tx.ex(), p.id).await?,
        None => Vec::new(),
    };
    let member_account = maillage_db::users::by_email(tx.ex(), "agent@demo.example").await?;
    let member_profile = match member_account {
        Some(u) => maillage_db::profiles::id_of_user(tx.ex(), u.id).await?,
        None => None,
    };

    for spec in specs() {
        let (Some(first_school), Some(sponsor)) = (school_id(spec.school), org(tx.ex(), spec.sponsor).await?) else {
            continue;
        };
        // The school it starts with: the one of the first take-up's origin.
        let start_school = match spec.title {
            t if t == TITLES[12] => school_id(School::Ales).unwrap_or(first_school),
            _ => first_school,
        };
        let mut fields = db::Fields {
            title: spec.title.to_owned(),
            problem: spec.problem.to_owned(),
            context: spec.context.to_owned(),
            expected_impact: spec.expected_impact.to_owned(),
            solution: spec.solution.to_owned(),
            impact: spec.impact.to_owned(),
            tools: spec.tools.to_owned(),
            lessons: spec.lessons.to_owned(),
            contact: spec.contact.to_owned(),
            visibility: spec.visibility.key().to_owned(),
            search_terms: String::new(),
        };
        fields.search_terms = index_terms([
            fields.title.as_str(),
            fields.problem.as_str(),
            fields.solution.as_str(),
            fields.lessons.as_str(),
        ]);
        let first_day = at(today, spec.steps[0].days_ago).0;
        let id = db::insert(
            tx.ex(),
            &db::NewProject {
                school_id: start_school,
                sponsor_organisation_id: sponsor,
                sponsor_user_id: None,
                status: Status::Proposed.key().to_owned(),
                year: i64::from(first_day.year()),
                created_by: None,
            },
            &fields,
        )
        .await?;
        // The team, and the promotion that carries it.
        let (team, promotion): (Vec<Uuid>, Option<Uuid>) = match spec.team {
            Team::PastGroup(g) => (
                past_members
                    .iter()
                    .filter(|m| m.group_no == Some(g))
                    .map(|m| m.profile_id)
                    .collect(),
                past.as_ref().map(|p| p.id),
            ),
            Team::Current(from, n) => (
                current_members
                    .iter()
                    .skip(from)
                    .take(n)
                    .map(|m| m.profile_id)
                    .collect(),
                current.as_ref().map(|p| p.id),
            ),
            Team::CurrentWithMember(from, n) => {
                let mut t: Vec<Uuid> = member_profile.into_iter().collect();
                t.extend(current_members.iter().skip(from).take(n).map(|m| m.profile_id));
                t.dedup();
                (t, current.as_ref().map(|p| p.id))
            }
            Team::Sponsor(from, n) if n > 0 => (db::profiles_in(tx.ex(), sponsor, from, n).await?, None),
            Team::Sponsor(..) => (Vec::new(), None),
        };
        for p in &team {
            db::add_member(tx.ex(), id, *p).await?;
        }
        if let (Team::PastGroup(g), Some(past)) = (spec.team, &past) {
            promotions::set_group_project(tx.ex(), past.id, g, Some(id)).await?;
        }
        let mut theme_ids = Vec::new();
        for name in spec.themes {
            if let Some(t) = themes.iter().find(|t| t.name == *name) {
                theme_ids.push(t.id);
            }
        }
        db::set_themes(tx.ex(), id, &theme_ids).await?;
        let mut concerned = Vec::new();
        for siren in spec.concerned {
            if let Some(o) = org(tx.ex(), siren).await? {
                concerned.push(o);
            }
        }
        db::set_organisations(tx.ex(), id, &concerned).await?;

        // The history, and the standing it leads to.
        let mut standing = db::Standing {
            status: Status::Proposed.key().to_owned(),
            status_reason: String::new(),
            school_id: start_school,
            promotion_id: None,
            started_on: None,
            jury_on: None,
            jury: String::new(),
            year: i64::from(first_day.year()),
        };
        let promotion_year = match (promotion, &past, &current) {
            (Some(p), Some(pa), _) if pa.id == p => Some(i64::from(pa.starts_on.year())),
            (Some(p), _, Some(cu)) if cu.id == p => Some(i64::from(cu.starts_on.year())),
            _ => None,
        };
        for s in &spec.steps {
            let (day, moment) = at(today, s.days_ago);
            standing.status = s.status.key().to_owned();
            standing.status_reason = s.reason.to_owned();
            match s.status {
                Status::Proposed => {
                    if let Some(school) = s.school.and_then(school_id) {
                        standing.school_id = school;
                    }
                    standing.promotion_id = None;
                    standing.year = i64::from(day.year());
                }
                Status::Retained => {
                    if let Some(p) = promotion {
                        standing.promotion_id = Some(p);
                        standing.year = promotion_year.unwrap_or(standing.year);
                    }
                }
                Status::InProgress => standing.started_on = Some(day),
                Status::Presented => {
                    standing.jury_on = Some(day);
                    standing.jury = spec.jury.to_owned();
                }
                _ => {}
            }
            db::insert_event(
                tx.ex(),
                &db::NewEvent {
                    project_id: id,
                    status: s.status.key(),
                    reason: s.reason,
                    school_id: Some(standing.school_id),
                    promotion_id: standing.promotion_id,
                    by_user: None,
                    at: moment,
                },
            )
            .await?;
        }
        db::set_standing(tx.ex(), id, &standing).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's histories follow the rules of `status::change`: each step
    /// may follow the previous one, the statuses that need a why have one,
    /// the dates go forward.
    #[test]
    fn demo_histories_follow_the_rules() {
        let specs = specs();
        assert_eq!(specs.len(), TITLES.len());
        let mut seen = std::collections::BTreeSet::new();
        for spec in &specs {
            assert_eq!(spec.steps[0].status, Status::Proposed, "{}", spec.title);
            for pair in spec.steps.windows(2) {
                assert!(pair[0].status.may_become(pair[1].status), "{}", spec.title);
                assert!(pair[0].days_ago > pair[1].days_ago, "{}", spec.title);
            }
            for s in &spec.steps {
                assert!(!s.status.needs_reason() || !s.reason.is_empty(), "{}", spec.title);
                seen.insert(s.status.key());
            }
        }
        for s in Status::ALL {
            assert!(seen.contains(s.key()), "aucun projet de démo « {} »", s.label());
        }
    }
}
