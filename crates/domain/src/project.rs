//! What describes a project of the bank: its status along its life, its
//! visibility, and where a user's feedback comes from (the stored key and the
//! French label of each), and which status may follow which.

keyed_enum!(
    /// A project's life (seed 001: « implémentés ou non et pourquoi »).
    Status {
        Proposed => ("propose", "Proposé"),
        Retained => ("retenu", "Retenu"),
        NotRetained => ("non_retenu", "Non retenu"),
        InProgress => ("en_cours", "En cours"),
        Presented => ("restitue", "Restitué"),
        Implemented => ("mis_en_oeuvre", "Mis en œuvre"),
        PartlyImplemented => ("partiellement_mis_en_oeuvre", "Partiellement mis en œuvre"),
        NotImplemented => ("non_mis_en_oeuvre", "Non mis en œuvre"),
        Abandoned => ("abandonne", "Abandonné"),
    }
);

impl Status {
    /// Statuses that must say why (the bank keeps the reasons: what was not
    /// retained or not implemented teaches as much as what was).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Status::NotRetained | Status::PartlyImplemented | Status::NotImplemented | Status::Abandoned
        )
    }

    /// The statuses this one may move to. A project not retained can be
    /// proposed again (to a later promotion, or to another school); a
    /// project can be abandoned at any point before its outcome; an outcome
    /// can be revised as the years show what became of it.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Proposed => &[Retained, NotRetained, Abandoned],
            Retained => &[InProgress, Abandoned, NotRetained],
            NotRetained => &[Proposed],
            InProgress => &[Presented, Abandoned],
            Presented => &[Implemented, PartlyImplemented, NotImplemented, Abandoned],
            Implemented => &[PartlyImplemented, NotImplemented, Abandoned],
            PartlyImplemented => &[Implemented, NotImplemented, Abandoned],
            NotImplemented => &[Implemented, PartlyImplemented, Abandoned],
            Abandoned => &[Proposed],
        }
    }

    pub fn may_become(self, next: Status) -> bool {
        self.next().contains(&next)
    }

    /// Whether the project reached its jury (« restitué ») or beyond: what the
    /// « implemented or not » filter looks at.
    pub fn is_outcome(self) -> bool {
        matches!(
            self,
            Status::Implemented | Status::PartlyImplemented | Status::NotImplemented
        )
    }

    /// Implemented at least in part.
    pub fn is_implemented(self) -> bool {
        matches!(self, Status::Implemented | Status::PartlyImplemented)
    }
}

keyed_enum!(
    /// Who may see a project (besides its team, creator and school).
    Visibility {
        Draft => ("brouillon", "Brouillon (l'équipe et l'école)"),
        Organisation => ("organisation", "Les organisations du projet"),
        Network => ("reseau", "Tout le réseau"),
    }
);

keyed_enum!(
    /// Where a piece of feedback comes from: first of all the public
    /// service's users, not only the team or the sponsor.
    FeedbackSource {
        User => ("usager", "Usager ou usagère du service"),
        Agent => ("agent", "Agent du service"),
        Elected => ("elu", "Élu ou élue"),
        Partner => ("partenaire", "Partenaire"),
        Sponsor => ("commanditaire", "Commanditaire"),
        Team => ("equipe", "Équipe projet"),
    }
);

keyed_enum!(
    /// A help request (« débogage ») and what became of it.
    HelpStatus {
        Open => ("ouverte", "Ouverte"),
        Solved => ("resolue", "Résolue"),
        Codevelopment => ("codeveloppement", "Transformée en codéveloppement"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_can_move_and_reasons_are_asked_where_the_bank_needs_them() {
        for s in Status::ALL {
            assert!(!s.next().is_empty(), "{s:?} is a dead end");
            assert_eq!(Status::parse(s.key()), Some(*s));
        }
        assert!(Status::NotRetained.needs_reason());
        assert!(!Status::Retained.needs_reason());
        assert!(Status::NotRetained.may_become(Status::Proposed));
        assert!(!Status::Proposed.may_become(Status::Implemented));
        assert_eq!(Status::parse("inconnu"), None);
    }
}
