//! Synthetic directory for benchmarks (`maillage bench-data annuaire`):
//! about 200 organisations from the official list, the starter themes, then
//! any number of realistic French profiles, deterministic for a seed.
//!
//! Profiles are written through the same storage functions as the real
//! ones (`profiles::insert`, `set_themes`, and the index documents of
//! [`super::index::documents`], which is what `reindex` writes), in
//! transactions of [`BATCH`] profiles so that SQLite's single writer is
//! never held for long. Works on SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use maillage_db::profiles::{self as db, Fields};
use maillage_domain::{org_kind::OrgKind, reference, siren::Siren, text::fold};
use uuid::Uuid;

use super::{edit::defaults, index::documents, themes::STARTER, visibility::Visibility};
use crate::{CoreError, CoreResult, Ctx, accounts, organisations};

/// Profiles per transaction.
pub const BATCH: usize = 5_000;

/// What was loaded.
#[derive(Debug, Clone)]
pub struct GenerateReport {
    pub profiles: usize,
    /// Organisations the profiles were spread over, and how many of them
    /// were added to the network by this run.
    pub organisations: usize,
    pub organisations_created: usize,
    pub themes_created: usize,
    /// SIREN of the organisation the benchmark's accounts belong to (the
    /// one given the most profiles: Région Occitanie).
    pub home_siren: String,
    pub elapsed: Duration,
}

/// One account to search as.
#[derive(Debug, Clone)]
pub struct BenchAccount {
    /// `member`, `org-admin`, `coordinator`
    pub kind: &'static str,
    pub email: &'static str,
    /// False when the account already existed (its password is unchanged).
    pub created: bool,
}

/// SplitMix64: small, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Skewed towards the start of the list, as names are in a population:
    /// the first entries are several times more frequent than the last.
    fn pick_common<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let u = self.unit().powf(1.6);
        &items[((u * items.len() as f64) as usize).min(items.len() - 1)]
    }
}

const FIRST_NAMES_F: &[&str] = &[
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Sandrine",
    "Valérie",
    "Christine",
    "Véronique",
    "Stéphanie",
    "Céline",
    "Sophie",
    "Aurélie",
    "Émilie",
    "Julie",
    "Élodie",
    "Caroline",
    "Hélène",
    "Anne",
    "Laurence",
    "Virginie",
    "Delphine",
    "Karine",
    "Audrey",
    "Camille",
    "Claire",
    "Florence",
    "Corinne",
    "Agnès",
    "Patricia",
    "Martine",
    "Françoise",
    "Brigitte",
    "Dominique",
    "Pascale",
    "Emmanuelle",
    "Béatrice",
    "Cécile",
    "Marion",
    "Laure",
    "Mélanie",
    "Anaïs",
    "Charlotte",
    "Pauline",
    "Mathilde",
    "Léa",
    "Manon",
    "Chloé",
    "Sarah",
    "Laetitia",
    "Magali",
    "Myriam",
    "Nadia",
    "Fatima",
    "Samia",
    "Leïla",
    "Yasmina",
    "Aïcha",
    "Amélie",
    "Estelle",
    "Fabienne",
    "Gaëlle",
    "Géraldine",
    "Ingrid",
    "Jocelyne",
    "Josiane",
    "Lucie",
    "Maud",
    "Morgane",
    "Noémie",
    "Océane",
    "Odile",
    "Perrine",
    "Rachel",
    "Solène",
    "Séverine",
    "Solange",
    "Thérèse",
    "Vanessa",
    "Zoé",
    "Marie-Claire",
    "Anne-Sophie",
    "Marie-Christine",
    "Anne-Laure",
    "Marie-Hélène",
    "Marie-Pierre",
    "Éloïse",
    "Clémence",
    "Bérénice",
    "Ophélie",
    "Maëlle",
    "Nolwenn",
    "Gwenaëlle",
    "Armelle",
    "Annick",
    "Ghislaine",
    "Héloïse",
    "Inès",
    "Joëlle",
    "Noëlle",
    "Adèle",
    "Agathe",
    "Albane",
    "Alice",
    "Aline",
    "Axelle",
    "Blandine",
    "Capucine",
    "Cindy",
    "Coralie",
    "Danielle",
    "Édith",
    "Élise",
    "Élisabeth",
    "Évelyne",
    "Fanny",
    "Francine",
    "Geneviève",
    "Gisèle",
    "Hortense",
    "Irène",
    "Jeanne",
    "Josette",
    "Juliette",
    "Justine",
    "Lætitia",
    "Lina",
    "Louise",
    "Lydie",
    "Madeleine",
    "Marianne",
    "Marine",
    "Maryse",
    "Mireille",
    "Monique",
    "Nicole",
    "Pascaline",
    "Renée",
    "Romane",
    "Rose",
    "Sabine",
    "Simone",
    "Suzanne",
    "Sylviane",
    "Yvette",
    "Yvonne",
    "Zélie",
];

const FIRST_NAMES_M: &[&str] = &[
    "Philippe",
    "Christophe",
    "Stéphane",
    "Frédéric",
    "Laurent",
    "Nicolas",
    "Pierre",
    "Olivier",
    "Éric",
    "David",
    "Sébastien",
    "Thierry",
    "Julien",
    "Jérôme",
    "Patrick",
    "Michel",
    "Alain",
    "Jean",
    "François",
    "Pascal",
    "Vincent",
    "Emmanuel",
    "Didier",
    "Franck",
    "Bruno",
    "Gilles",
    "Xavier",
    "Hervé",
    "Denis",
    "Fabrice",
    "Guillaume",
    "Antoine",
    "Thomas",
    "Mathieu",
    "Alexandre",
    "Benoît",
    "Cédric",
    "Damien",
    "Arnaud",
    "Jérémy",
    "Yannick",
    "Loïc",
    "Gaël",
    "Anthony",
    "Romain",
    "Maxime",
    "Hugo",
    "Lucas",
    "Théo",
    "Mehdi",
    "Karim",
    "Rachid",
    "Samir",
    "Mohamed",
    "Youssef",
    "Hamid",
    "Noël",
    "Joël",
    "Raphaël",
    "Mickaël",
    "Gaëtan",
    "Aurélien",
    "Jean-Pierre",
    "Jean-Luc",
    "Jean-Marc",
    "Jean-François",
    "Jean-Michel",
    "Pierre-Yves",
    "Jean-Christophe",
    "Marc-Antoine",
    "Jean-Baptiste",
    "Jean-Philippe",
    "Hubert",
    "Régis",
    "Rémi",
    "Rémy",
    "Grégoire",
    "Grégory",
    "Ludovic",
    "Lionel",
    "Marcel",
    "Maurice",
    "Serge",
    "Yves",
    "Yann",
    "Erwan",
    "Ronan",
    "Tanguy",
    "Gwénaël",
    "Adrien",
    "Baptiste",
    "Benjamin",
    "Bertrand",
    "Clément",
    "Cyril",
    "Dimitri",
    "Dominique",
    "Édouard",
    "Étienne",
    "Fabien",
    "Félix",
    "Florian",
    "Gérard",
    "Guy",
    "Henri",
    "Jacques",
    "Jérémie",
    "Jonathan",
    "Joseph",
    "Julien",
    "Kévin",
    "Léo",
    "Louis",
    "Lucien",
    "Manuel",
    "Marc",
    "Martin",
    "Matthieu",
    "Maxence",
    "Nathan",
    "Patrice",
    "Paul",
    "Quentin",
    "Raymond",
    "René",
    "Richard",
    "Robert",
    "Roger",
    "Samuel",
    "Simon",
    "Sylvain",
    "Thibault",
    "Timothée",
    "Tristan",
    "Valentin",
    "Victor",
    "William",
    "Yohann",
    "Zacharie",
    "Anatole",
    "Aymeric",
    "Basile",
    "Côme",
    "Hippolyte",
];

const LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Jean",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sanchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Paris",
    "Poirier",
    "Marty",
    "Aubry",
    "Guyot",
    "Carré",
    "Charles",
    "Renault",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Hervé",
    "Schneider",
    "Fernandez",
    "Le Gall",
    "Collet",
    "Léger",
    "Bouvier",
    "Julien",
    "Prévost",
    "Millet",
    "Perrot",
    "Daniel",
    "Le Roux",
    "Cousin",
    "Germain",
    "Breton",
    "Besson",
    "Langlois",
    "Rémy",
    "Le Goff",
    "Pelletier",
    "Lévêque",
    "Perrier",
    "Leblanc",
    "Barré",
    "Lebrun",
    "Marchal",
    "Weber",
    "Mallet",
    "Hamon",
    "Boulanger",
    "Jacob",
    "Monnier",
    "Michaud",
    "Rodriguez",
    "Guichard",
    "Gillet",
    "Étienne",
    "Grondin",
    "Poulain",
    "Tessier",
    "Chevallier",
    "Collin",
    "Chauvin",
    "Da Silva",
    "Bouchet",
    "Gay",
    "Lemaître",
    "Bénard",
    "Maréchal",
    "Humbert",
    "Reynaud",
    "Antoine",
    "Hoarau",
    "Perret",
    "Barthélemy",
    "Cordier",
    "Pichon",
    "Lejeune",
    "Gilbert",
    "Lamy",
    "Delaunay",
    "Pasquier",
    "Carlier",
    "Laporte",
    "L'Hôte",
    "N'Diaye",
    "D'Almeida",
    "L'Huillier",
    "D'Arco",
    "Saint-Aubin",
    "Saint-Martin",
    "Saint-Jean",
    "Sainte-Marie",
    "de La Tour",
    "de Lattre",
    "Le Bihan",
    "Le Floc'h",
    "Kerjean",
    "Quéméner",
    "Tanguy",
    "Le Corre",
    "Le Moal",
    "Goïc",
    "Ben Ahmed",
    "Benali",
    "Bouaziz",
    "Haddad",
    "Benhamou",
    "Mansouri",
    "Diallo",
    "Traoré",
    "Nguyen",
    "Tran",
    "Pham",
    "Dos Santos",
    "Ferreira",
    "Pereira",
    "Rodrigues",
    "Gonçalves",
    "Çelik",
    "Yilmaz",
    "Kowalski",
    "Nowak",
    "Rossi",
    "Russo",
    "Esposito",
    "Bianchi",
    "Ferrari",
    "Müller",
    "Schwartz",
    "Dupré",
    "Després",
    "Lefranc",
    "Deloffre",
    "Desmarais",
    "Desjardins",
    "Beaulieu",
    "Beaumont",
    "Bellamy",
    "Bonnefoy",
    "Chabert",
    "Chassagne",
    "Courtois",
    "Delorme",
    "Després-Aubert",
    "Durand-Viel",
    "Faure-Dumont",
    "Ferrand",
    "Fouquet",
    "Gaudin",
    "Granger",
    "Héraud",
    "Jourdan",
    "Laffont",
    "Lagarde",
    "Lantier",
    "Larcher",
    "Lecœur",
    "Marcel",
    "Maurel",
    "Mazet",
    "Mouton",
    "Navarro",
    "Ollivier",
    "Pagès",
    "Pujol",
    "Raynal",
    "Rigaud",
    "Salles",
    "Sarrazin",
    "Soulier",
    "Teyssier",
    "Thévenet",
    "Vallée",
    "Vergne",
    "Viguier",
    "Crozes",
    "Sénéchal",
    "Cœur",
    "Hennequin",
];

/// One kind of post: feminine and masculine function titles, the direction
/// and services it sits in, the usual category and cadre d'emplois.
struct Post {
    f: &'static str,
    m: &'static str,
    direction: &'static str,
    services: &'static [&'static str],
    category: &'static str,
    cadre: &'static str,
}

const POSTS: &[Post] = &[
    Post {
        f: "Directrice générale des services",
        m: "Directeur général des services",
        direction: "Direction générale des services",
        services: &["Secrétariat général", ""],
        category: "A+",
        cadre: "Administrateurs territoriaux",
    },
    Post {
        f: "Directrice générale adjointe",
        m: "Directeur général adjoint",
        direction: "Direction générale des services",
        services: &["Pôle ressources", "Pôle aménagement", "Pôle solidarités"],
        category: "A+",
        cadre: "Administrateurs territoriaux",
    },
    Post {
        f: "Directrice des finances",
        m: "Directeur des finances",
        direction: "Direction des finances",
        services: &["Budget", "Exécution budgétaire", "Dette et trésorerie"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Responsable du service budget",
        m: "Responsable du service budget",
        direction: "Direction des finances",
        services: &["Budget", "Prospective financière"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Directrice des ressources humaines",
        m: "Directeur des ressources humaines",
        direction: "Direction des ressources humaines",
        services: &[
            "Carrières et paie",
            "Formation",
            "Recrutement",
            "Qualité de vie au travail",
        ],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Responsable formation",
        m: "Responsable formation",
        direction: "Direction des ressources humaines",
        services: &["Formation", "Développement des compétences"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Chargée de formation",
        m: "Chargé de formation",
        direction: "Direction des ressources humaines",
        services: &["Formation", "Développement des compétences"],
        category: "B",
        cadre: "Rédacteurs territoriaux",
    },
    Post {
        f: "Conseillère en évolution professionnelle",
        m: "Conseiller en évolution professionnelle",
        direction: "Direction des ressources humaines",
        services: &["Accompagnement des parcours", "Emploi et compétences"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Directrice du numérique",
        m: "Directeur du numérique",
        direction: "Direction du numérique",
        services: &["Systèmes d'information", "Infrastructures", "Données"],
        category: "A+",
        cadre: "Ingénieurs en chef territoriaux",
    },
    Post {
        f: "Cheffe de projet numérique",
        m: "Chef de projet numérique",
        direction: "Direction du numérique",
        services: &["Transformation numérique", "Données", "Usages numériques"],
        category: "A",
        cadre: "Ingénieurs territoriaux",
    },
    Post {
        f: "Administratrice systèmes et réseaux",
        m: "Administrateur systèmes et réseaux",
        direction: "Direction du numérique",
        services: &["Infrastructures", "Support utilisateurs"],
        category: "B",
        cadre: "Techniciens territoriaux",
    },
    Post {
        f: "Chargée de mission transition écologique",
        m: "Chargé de mission transition écologique",
        direction: "Direction de la transition écologique",
        services: &["Climat et énergie", "Biodiversité", "Plan climat"],
        category: "A",
        cadre: "Ingénieurs territoriaux",
    },
    Post {
        f: "Directrice de l'aménagement",
        m: "Directeur de l'aménagement",
        direction: "Direction de l'aménagement et de l'urbanisme",
        services: &["Urbanisme réglementaire", "Planification", "Foncier"],
        category: "A",
        cadre: "Ingénieurs territoriaux",
    },
    Post {
        f: "Responsable de la commande publique",
        m: "Responsable de la commande publique",
        direction: "Direction des affaires juridiques et de la commande publique",
        services: &["Marchés publics", "Achats"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Juriste",
        m: "Juriste",
        direction: "Direction des affaires juridiques et de la commande publique",
        services: &["Affaires juridiques", "Assurances", "Marchés publics"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Directrice de l'action sociale",
        m: "Directeur de l'action sociale",
        direction: "Direction des solidarités",
        services: &["Insertion", "Autonomie", "Enfance et famille"],
        category: "A",
        cadre: "Conseillers socio-éducatifs territoriaux",
    },
    Post {
        f: "Directrice de la culture",
        m: "Directeur de la culture",
        direction: "Direction de la culture et du patrimoine",
        services: &["Lecture publique", "Musées", "Spectacle vivant", "Archives"],
        category: "A",
        cadre: "Attachés territoriaux de conservation du patrimoine",
    },
    Post {
        f: "Conservatrice des bibliothèques",
        m: "Conservateur des bibliothèques",
        direction: "Direction de la culture et du patrimoine",
        services: &["Lecture publique", "Médiathèque"],
        category: "A+",
        cadre: "Conservateurs territoriaux de bibliothèques",
    },
    Post {
        f: "Ingénieure en chef voirie",
        m: "Ingénieur en chef voirie",
        direction: "Direction des services techniques",
        services: &["Voirie et réseaux", "Bâtiments", "Espaces verts"],
        category: "A+",
        cadre: "Ingénieurs en chef territoriaux",
    },
    Post {
        f: "Responsable des bâtiments",
        m: "Responsable des bâtiments",
        direction: "Direction des services techniques",
        services: &["Bâtiments", "Énergie et fluides"],
        category: "A",
        cadre: "Ingénieurs territoriaux",
    },
    Post {
        f: "Technicienne bâtiment",
        m: "Technicien bâtiment",
        direction: "Direction des services techniques",
        services: &["Bâtiments", "Maintenance"],
        category: "B",
        cadre: "Techniciens territoriaux",
    },
    Post {
        f: "Chargée de communication",
        m: "Chargé de communication",
        direction: "Direction de la communication",
        services: &["Communication externe", "Communication interne", "Relations presse"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Contrôleuse de gestion",
        m: "Contrôleur de gestion",
        direction: "Direction des finances",
        services: &["Contrôle de gestion", "Évaluation des politiques publiques"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Chargée de mission participation citoyenne",
        m: "Chargé de mission participation citoyenne",
        direction: "Direction de la citoyenneté",
        services: &["Démocratie participative", "Vie associative"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Référente égalité femmes-hommes",
        m: "Référent égalité femmes-hommes",
        direction: "Direction des ressources humaines",
        services: &["Qualité de vie au travail", "Prévention des discriminations"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Designer de service public",
        m: "Designer de service public",
        direction: "Direction de l'innovation publique",
        services: &["Laboratoire d'innovation", "Relation usagers"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Gestionnaire carrière et paie",
        m: "Gestionnaire carrière et paie",
        direction: "Direction des ressources humaines",
        services: &["Carrières et paie"],
        category: "C",
        cadre: "Adjoints administratifs territoriaux",
    },
    Post {
        f: "Assistante de direction",
        m: "Assistant de direction",
        direction: "Direction générale des services",
        services: &["Secrétariat général", "Assemblées"],
        category: "C",
        cadre: "Adjoints administratifs territoriaux",
    },
    Post {
        f: "Rédactrice comptable",
        m: "Rédacteur comptable",
        direction: "Direction des finances",
        services: &["Exécution budgétaire", "Comptabilité"],
        category: "B",
        cadre: "Rédacteurs territoriaux",
    },
    Post {
        f: "Directrice de l'éducation",
        m: "Directeur de l'éducation",
        direction: "Direction de l'éducation et de la jeunesse",
        services: &["Restauration scolaire", "Périscolaire", "Collèges"],
        category: "A",
        cadre: "Attachés territoriaux",
    },
    Post {
        f: "Puéricultrice cadre de santé",
        m: "Puériculteur cadre de santé",
        direction: "Direction des solidarités",
        services: &["Protection maternelle et infantile", "Petite enfance"],
        category: "A",
        cadre: "Puéricultrices territoriales",
    },
    Post {
        f: "Responsable des archives",
        m: "Responsable des archives",
        direction: "Direction de la culture et du patrimoine",
        services: &["Archives"],
        category: "A",
        cadre: "Attachés territoriaux de conservation du patrimoine",
    },
];

const LANGUAGES: &[&str] = &[
    "anglais",
    "anglais, espagnol",
    "anglais, allemand",
    "espagnol",
    "allemand",
    "italien",
    "occitan",
    "breton",
    "arabe",
    "portugais",
    "langue des signes française",
    "anglais, italien",
];

const BIO_OPENINGS: &[&str] = &[
    "Quinze ans dans la fonction publique territoriale, dont huit en encadrement.",
    "J'ai travaillé dans plusieurs collectivités avant celle-ci.",
    "Je pilote des projets transversaux entre directions.",
    "J'interviens comme formateur interne depuis 2019.",
    "J'ai rejoint le service public après une carrière dans le privé.",
    "Après dix ans dans le secteur associatif, j'ai rejoint ma collectivité.",
    "Membre du réseau depuis sa création.",
    "Je suis arrivée dans la collectivité par un concours interne.",
];

const BIO_TOPICS: &[&str] = &[
    "la conduite du changement dans les équipes",
    "la sobriété énergétique des bâtiments publics",
    "la qualité de vie au travail et le management bienveillant",
    "la dématérialisation des démarches des usagers",
    "le dialogue social et la prévention des risques psychosociaux",
    "la prospective financière et les budgets pluriannuels",
    "l'accueil des nouveaux arrivants et le tutorat",
    "l'ouverture des données publiques",
    "la participation des habitants aux projets d'aménagement",
    "les achats responsables",
    "l'égalité professionnelle entre les femmes et les hommes",
    "l'accessibilité des services numériques",
];

const BIO_ENDINGS: &[&str] = &[
    "",
    " Disponible pour des échanges de pratiques.",
    " J'anime un atelier mensuel ouvert à tous.",
    " Contactez-moi pour un café virtuel.",
    " Intervenant occasionnel à l'école du réseau.",
    " Volontaire pour du mentorat.",
];

/// How many profiles an organisation of this kind gets, relatively.
fn weight(kind: OrgKind) -> f64 {
    match kind {
        OrgKind::Region => 12.0,
        OrgKind::Departement => 10.0,
        OrgKind::Metropole | OrgKind::CommunauteUrbaine => 8.0,
        OrgKind::CommunauteAgglomeration => 4.0,
        OrgKind::CommunauteDeCommunes => 1.5,
        _ => 1.0,
    }
}

/// About 200 organisations from the official list, the same for a seed:
/// every région, then départements, big EPCI, communautés de communes and
/// communes drawn at random.
fn choose_organisations(rng: &mut Rng) -> Vec<&'static reference::Collectivite> {
    let all = reference::all();
    let of = |kinds: &[OrgKind]| -> Vec<&'static reference::Collectivite> {
        all.iter().filter(|c| kinds.contains(&c.kind)).collect()
    };
    let mut out: Vec<&'static reference::Collectivite> = Vec::with_capacity(200);
    // Région Occitanie first: the benchmark's accounts belong to it.
    let mut regions = of(&[OrgKind::Region]);
    regions.sort_by_key(|c| (c.region.as_deref() != Some("76"), c.siren.as_str().to_owned()));
    out.extend(regions);
    for (kinds, n) in [
        (&[OrgKind::Departement][..], 43),
        (&[OrgKind::Metropole, OrgKind::CommunauteUrbaine][..], 20),
        (&[OrgKind::CommunauteAgglomeration][..], 30),
        (&[OrgKind::CommunauteDeCommunes][..], 30),
        (&[OrgKind::Commune][..], 60),
    ] {
        let mut pool = of(kinds);
        // Partial Fisher-Yates: the first n of a shuffled pool.
        let n = n.min(pool.len());
        for i in 0..n {
            let j = i + rng.below(pool.len() - i);
            pool.swap(i, j);
        }
        out.extend(pool.into_iter().take(n));
    }
    out
}

/// `prenom.nom` for an address: folded, letters and digits, hyphens between words.
fn mail_part(s: &str) -> String {
    fold(s)
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

fn phone(rng: &mut Rng, departement: Option<&str>) -> String {
    // A plausible zone digit: 1 Île-de-France … 5 south-west; mobiles too.
    let zone = match departement.and_then(|d| d.chars().next()) {
        Some('7' | '9') => 1,
        Some('1' | '2' | '5') => 3,
        Some('0' | '3' | '4') => 4,
        Some('6' | '8') => 5,
        _ => 2,
    };
    let zone = if rng.chance(0.2) { 6 } else { zone };
    format!(
        "0{zone} {:02} {:02} {:02} {:02}",
        rng.below(100),
        rng.below(100),
        rng.below(100),
        rng.below(100)
    )
}

struct Org {
    id: Uuid,
    name: String,
    departement: Option<String>,
    weight: f64,
}

/// One synthetic person.
fn person(rng: &mut Rng, n: usize, org: &Org) -> Fields {
    let female = rng.chance(0.55);
    let first = *rng.pick_common(if female { FIRST_NAMES_F } else { FIRST_NAMES_M });
    let last = *rng.pick_common(LAST_NAMES);
    let post = rng.pick(POSTS);
    // Mostly A and A+, as in the network's schools; some keep the post's.
    let category = match rng.unit() {
        u if u < 0.05 => None,
        u if u < 0.70 => Some(post.category),
        u if u < 0.85 => Some("A"),
        u if u < 0.93 => Some("A+"),
        u if u < 0.98 => Some("B"),
        _ => Some("C"),
    };
    let mut f = defaults();
    f.first_name = first.to_owned();
    f.last_name = last.to_owned();
    f.function_title = if female { post.f } else { post.m }.to_owned();
    f.direction = post.direction.to_owned();
    f.service = rng.pick(post.services).to_string();
    f.category = category.map(str::to_owned);
    f.cadre = if rng.chance(0.85) {
        post.cadre.to_owned()
    } else {
        String::new()
    };
    f.email = Some(format!("{}.{}.{n}@exemple.fr", mail_part(first), mail_part(last)));
    f.phone = rng.chance(0.7).then(|| phone(rng, org.departement.as_deref()));
    if rng.chance(0.3) {
        f.bio = format!(
            "{} Sujets de prédilection : {}.{}",
            rng.pick(BIO_OPENINGS),
            rng.pick(BIO_TOPICS),
            rng.pick(BIO_ENDINGS)
        );
    }
    if rng.chance(0.35) {
        f.languages = rng.pick(LANGUAGES).to_string();
    }
    // What people choose: most keep the defaults; some open their contact
    // details or category to the network, some close their profile.
    let network = Visibility::Network.level();
    let organisation = Visibility::Organisation.level();
    let private = Visibility::Private.level();
    if rng.chance(0.4) {
        f.category_vis = network;
    }
    if rng.chance(0.25) {
        f.email_vis = network;
    }
    if rng.chance(0.15) {
        f.phone_vis = network;
    }
    if rng.chance(0.1) {
        f.bio_vis = organisation;
    }
    if rng.chance(0.05) {
        f.themes_vis = organisation;
    }
    match rng.unit() {
        u if u < 0.05 => f.listed = private,
        u if u < 0.15 => {
            f.listed = organisation;
            f.function_vis = organisation;
            f.unit_vis = organisation;
        }
        _ => {}
    }
    f
}

/// Loads `count` synthetic profiles, with their organisations and themes,
/// into the current database. The same `seed` gives the same people;
/// addresses are numbered after the profiles already there, so a second run
/// adds people rather than failing.
pub async fn profiles(ctx: &Ctx, count: usize, seed: u64) -> CoreResult<GenerateReport> {
    let started = Instant::now();
    let mut rng = Rng(seed ^ 0x6D61_696C_6C61_6765);

    // Organisations and themes, in one short transaction.
    let mut tx = ctx.db.begin().await?;
    let chosen = choose_organisations(&mut rng);
    let mut orgs = Vec::with_capacity(chosen.len());
    let mut organisations_created = 0;
    for c in &chosen {
        let existing = maillage_db::organisations::by_siren(tx.ex(), c.siren.as_str()).await?;
        if existing.is_none() {
            organisations::ensure_from_reference(tx.ex(), &c.siren).await?;
            organisations_created += 1;
        }
        let row = maillage_db::organisations::by_siren(tx.ex(), c.siren.as_str())
            .await?
            .ok_or(CoreError::NotFound)?;
        orgs.push(Org {
            id: row.id,
            name: row.name,
            departement: row.departement,
            weight: weight(c.kind),
        });
    }
    let existing_themes = db::themes(tx.ex()).await?;
    let mut themes_created = 0;
    for name in STARTER {
        if !existing_themes.iter().any(|t| fold(&t.name) == fold(name)) {
            db::insert_theme(tx.ex(), name).await?;
            themes_created += 1;
        }
    }
    let themes: Vec<(Uuid, String)> = db::themes(tx.ex()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let everything = db::Scope {
        everything: true,
        ..Default::default()
    };
    let already = db::count(tx.ex(), &everything, &db::Search::default(), i64::MAX).await? as usize;
    tx.commit().await?;

    // Cumulative weights, to draw an organisation per profile.
    let mut cumulative = Vec::with_capacity(orgs.len());
    let mut total = 0.0;
    for o in &orgs {
        total += o.weight;
        cumulative.push(total);
    }

    let mut done = 0;
    while done < count {
        let batch = BATCH.min(count - done);
        let mut tx = ctx.db.begin().await?;
        for i in 0..batch {
            let n = already + done + i + 1;
            let target = rng.unit() * total;
            let org = &orgs[cumulative.partition_point(|&c| c <= target).min(orgs.len() - 1)];
            let fields = person(&mut rng, n, org);
            let (id, seq) = db::insert(tx.ex(), org.id, None, &fields, rng.chance(0.6)).await?;
            // 0 to 4 themes, each as expertise or interest.
            let mut chosen: Vec<(Uuid, &str)> = Vec::new();
            let mut names: Vec<&str> = Vec::new();
            for _ in 0..rng.below(5) {
                let (theme, name) = rng.pick(&themes);
                if chosen.iter().any(|(t, _)| t == theme) {
                    continue;
                }
                chosen.push((*theme, if rng.chance(0.5) { "expertise" } else { "interest" }));
                names.push(name);
            }
            if !chosen.is_empty() {
                db::set_themes(tx.ex(), id, &chosen).await?;
            }
            // What `index::reindex` writes, without reading the row back.
            names.sort_by_key(|n| fold(n));
            let docs = documents(&fields, &org.name, &names);
            db::set_index(tx.ex(), id, seq, &docs).await?;
        }
        tx.commit().await?;
        done += batch;
        tracing::info!(
            done,
            count,
            elapsed_s = started.elapsed().as_secs(),
            "fiches d'annuaire générées"
        );
    }

    Ok(GenerateReport {
        profiles: done,
        organisations: orgs.len(),
        organisations_created,
        themes_created,
        home_siren: chosen[0].siren.as_str().to_owned(),
        elapsed: started.elapsed(),
    })
}

/// The accounts a benchmark searches as: a member and an administrator of
/// `siren`, and the network's coordinator. An account that already exists
/// is left as it is.
pub async fn accounts(ctx: &Ctx, siren: &str, password: &str) -> CoreResult<Vec<BenchAccount>> {
    let siren = Siren::parse(siren).map_err(|e| crate::FieldErrors::single("organisation", e.to_string()))?;
    let specs: [(&str, &str, &str, Option<&str>); 3] = [
        (
            "member",
            "membre@bench.exemple.fr",
            "Camille Bancdessai",
            Some(siren.as_str()),
        ),
        (
            "org-admin",
            "admin@bench.exemple.fr",
            "Dominique Bancdessai",
            Some(siren.as_str()),
        ),
        (
            "coordinator",
            "coordination@bench.exemple.fr",
            "Claude Bancdessai",
            None,
        ),
    ];
    let mut out = Vec::new();
    for (kind, email, name, org) in specs {
        let created = match accounts::create_user(ctx, email, name, kind, org, password).await {
            Ok(_) => true,
            Err(CoreError::Invalid(f)) if f.get("email").is_some() && f.0.len() == 1 => false,
            Err(e) => return Err(e),
        };
        out.push(BenchAccount { kind, email, created });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let org = Org {
            id: Uuid::nil(),
            name: "Région Occitanie".into(),
            departement: None,
            weight: 1.0,
        };
        let a: Vec<Fields> = (0..50).scan(Rng(7), |r, n| Some(person(r, n, &org))).collect();
        let b: Vec<Fields> = (0..50).scan(Rng(7), |r, n| Some(person(r, n, &org))).collect();
        assert_eq!(a, b);
        let c: Vec<Fields> = (0..50).scan(Rng(8), |r, n| Some(person(r, n, &org))).collect();
        assert_ne!(a, c);
    }

    #[test]
    fn addresses_and_phones_are_valid() {
        let org = Org {
            id: Uuid::nil(),
            name: "Alès".into(),
            departement: Some("30".into()),
            weight: 1.0,
        };
        let mut rng = Rng(1);
        for n in 0..2000 {
            let f = person(&mut rng, n, &org);
            let email = f.email.as_deref().unwrap();
            assert_eq!(maillage_domain::email::Email::parse(email).unwrap().as_str(), email);
            if let Some(p) = &f.phone {
                assert_eq!(maillage_domain::phone::Phone::parse(p).unwrap().unwrap().as_str(), p);
            }
            if let Some(c) = &f.category {
                maillage_domain::category::Category::parse(c).unwrap().unwrap();
            }
        }
        assert_eq!(mail_part("L'Hôte"), "lhote");
        assert_eq!(mail_part("Saint-Aubin"), "saint-aubin");
        assert_eq!(mail_part("de La Tour"), "de-la-tour");
    }

    #[test]
    fn about_two_hundred_organisations_occitanie_first() {
        let chosen = choose_organisations(&mut Rng(1));
        assert!((190..=210).contains(&chosen.len()), "{}", chosen.len());
        assert_eq!(chosen[0].region.as_deref(), Some("76"));
        assert_eq!(chosen[0].kind, OrgKind::Region);
        let again = choose_organisations(&mut Rng(1));
        assert!(chosen.iter().zip(&again).all(|(a, b)| a.siren == b.siren));
    }
}
