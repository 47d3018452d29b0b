//! What describes a module of a school's catalogue: its format, duration
//! unit and audience stage (the stored key and the French label of each).

keyed_enum!(
    /// How a module is delivered (seeds 002 and 003: what a school runs).
    Format {
        Formation => ("formation", "Formation"),
        Seminaire => ("seminaire", "Séminaire"),
        Debat => ("debat", "Débat"),
        CoachingIndividuel => ("coaching-individuel", "Coaching individuel"),
        CoachingCollectif => ("coaching-collectif", "Coaching collectif"),
        Codeveloppement => ("codeveloppement", "Codéveloppement"),
        Psychologue => ("psychologue", "Entretien avec la psychologue du travail"),
        Conference => ("conference", "Conférence"),
        Expedition => ("expedition", "Expédition apprenante"),
        Ressource => ("ressource", "Ressource en ligne, MOOC"),
    }
);

keyed_enum!(
    /// The unit a module's duration is counted in.
    DurationUnit {
        Days => ("jours", "jour(s)"),
        HalfDays => ("demi-journees", "demi-journée(s)"),
        Hours => ("heures", "heure(s)"),
    }
);

keyed_enum!(
    /// Which managers a module is for.
    Stage {
        All => ("tous", "Tous les managers"),
        New => ("nouveaux", "Managers nouvellement en poste"),
        Experienced => ("confirmes", "Managers confirmés"),
    }
);

impl DurationUnit {
    /// « 2 jours », « 1 demi-journée », « 3 heures ».
    pub fn describe(self, n: i64) -> String {
        let plural = n > 1;
        let word = match (self, plural) {
            (DurationUnit::Days, false) => "jour",
            (DurationUnit::Days, true) => "jours",
            (DurationUnit::HalfDays, false) => "demi-journée",
            (DurationUnit::HalfDays, true) => "demi-journées",
            (DurationUnit::Hours, false) => "heure",
            (DurationUnit::Hours, true) => "heures",
        };
        format!("{n} {word}")
    }

    /// In hours, for statistics (a day is 7 hours, a half-day 3.5).
    pub fn hours(self, n: i64) -> f64 {
        let n = n as f64;
        match self {
            DurationUnit::Days => n * 7.0,
            DurationUnit::HalfDays => n * 3.5,
            DurationUnit::Hours => n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.key()), Some(*f));
        }
        assert_eq!(Format::parse("inconnu"), None);
        assert_eq!(DurationUnit::HalfDays.describe(1), "1 demi-journée");
        assert_eq!(DurationUnit::Days.describe(5), "5 jours");
        assert_eq!(DurationUnit::HalfDays.hours(2), 7.0);
        assert_eq!(Stage::parse(" nouveaux "), Some(Stage::New));
    }
}
