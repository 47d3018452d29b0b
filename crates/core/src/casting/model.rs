//! What the casting reads and returns: people, parameters, an assignment, a
//! solution, and why a casting is impossible. Plain data, serialisable, no
//! behaviour beyond small helpers.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::report::Report;

/// Gender as the school entered it. People whose gender is not given count
/// for neither side, in the balance as in the « no lone woman or man » rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Femme,
    Homme,
}

/// One member of the promotion. Every field but `id` may be missing: a
/// missing value is « non renseigné » and takes no part in that criterion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Unique within the promotion (the CSV reader and the web layer check it).
    pub id: String,
    /// Display name for the report (« Camille Martin »), optional.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub seniority_years: Option<u32>,
    /// A category the school defines (e.g. colours of a personality
    /// inventory), entered only with the person's consent. Compared folded
    /// (case, accents).
    #[serde(default)]
    pub temperament: Option<String>,
    /// The employer. Compared folded (case, accents).
    #[serde(default)]
    pub organisation: Option<String>,
    /// The `id` of their line manager when the manager is in the same
    /// promotion. Unknown ids and a person's own id are ignored by the engine.
    #[serde(default)]
    pub manager_id: Option<String>,
    /// Project labels the person would like to work on, compared folded with
    /// [`Params::projects`].
    #[serde(default)]
    pub wishes: Vec<String>,
}

impl Person {
    pub fn new(id: impl Into<String>) -> Self {
        Person {
            id: id.into(),
            ..Person::default()
        }
    }

    /// How the report names someone inside a sentence: « Camille Martin
    /// (id 7) », or « la personne id 7 » without a name.
    pub fn label(&self) -> String {
        match self.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => format!("{name} (id {})", self.id),
            None => format!("la personne id {}", self.id),
        }
    }
}

/// Relative importance of the soft criteria in a group's score. Negative or
/// non-finite weights count as 0; all zero means every group scores 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub gender: f64,
    pub age: f64,
    pub seniority: f64,
    pub temperament: f64,
    pub organisation: f64,
    pub wishes: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            gender: 1.0,
            age: 1.0,
            seniority: 1.0,
            temperament: 1.0,
            organisation: 1.0,
            wishes: 1.0,
        }
    }
}

/// How hard the search tries. An iteration budget, never a time budget: the
/// same input and seed give the same groups on a fast or a slow machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effort {
    /// Independent constructions, each followed by a local search.
    pub restarts: u32,
    /// Candidate moves evaluated per restart at most.
    pub evaluations: u64,
    /// Perturbations in a row without improvement before a restart stops.
    pub patience: u32,
}

impl Default for Effort {
    fn default() -> Self {
        Effort {
            restarts: 4,
            evaluations: 400_000,
            patience: 60,
        }
    }
}

/// What to build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Number of groups K.
    pub groups: usize,
    /// Smallest group allowed; default floor(n / K).
    pub min_size: Option<usize>,
    /// Largest group allowed; default ceil(n / K). With neither bound given,
    /// sizes differ by at most one.
    pub max_size: Option<usize>,
    /// Same people, same parameters, same seed: same groups.
    pub seed: u64,
    /// Optional project of each group: `projects[i]` is group i's. Only then
    /// are people's wishes scored. At most `groups` labels.
    #[serde(default)]
    pub projects: Vec<String>,
    #[serde(default)]
    pub weights: Weights,
    #[serde(default)]
    pub effort: Effort,
}

impl Params {
    pub fn new(groups: usize) -> Self {
        Params {
            groups,
            min_size: None,
            max_size: None,
            seed: 1,
            projects: Vec::new(),
            weights: Weights::default(),
            effort: Effort::default(),
        }
    }

    /// The size bounds for `n` people: each bound not given defaults to the
    /// even split (floor(n / K), ceil(n / K)); never below 1 (a group is never
    /// empty). `(0, 0)` when K = 0.
    pub fn size_bounds(&self, n: usize) -> (usize, usize) {
        if self.groups == 0 {
            return (0, 0);
        }
        let min = self.min_size.unwrap_or(n / self.groups).max(1);
        let max = self.max_size.unwrap_or(n.div_ceil(self.groups));
        (min, max)
    }

    /// The project of group `g`, if one was given (blank labels count as none).
    pub fn project(&self, g: usize) -> Option<&str> {
        self.projects.get(g).map(|p| p.trim()).filter(|p| !p.is_empty())
    }
}

/// The group (0-based) of each person, in the order of the input slice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub groups: Vec<usize>,
}

impl Assignment {
    pub fn new(groups: Vec<usize>) -> Self {
        Assignment { groups }
    }

    /// The group of person `i`, if any.
    pub fn group_of(&self, i: usize) -> Option<usize> {
        self.groups.get(i).copied()
    }

    /// Moves person `i` to group `g` (what the school does by hand); an
    /// index past the end is ignored.
    pub fn set(&mut self, i: usize, g: usize) {
        if let Some(slot) = self.groups.get_mut(i) {
            *slot = g;
        }
    }
}

/// A casting that respects every hard rule, and its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    pub assignment: Assignment,
    pub report: Report,
}

/// The hard rules, which a casting never breaks (soft criteria are scored
/// instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The parameters themselves (number of groups, project labels, weights).
    Parameters,
    /// Everyone has exactly one group (only an edited assignment breaks it).
    EveryoneAssigned,
    /// Group sizes within the bounds.
    GroupSize,
    /// Nobody in the same group as their line manager.
    Manager,
    /// No group with exactly one woman or exactly one man (see
    /// [`score::lone_gender`](super::score::lone_gender)).
    LoneGender,
}

impl Rule {
    /// French name of the rule, as the report and messages say it.
    pub fn label(self) -> &'static str {
        match self {
            Rule::Parameters => "Paramètres",
            Rule::EveryoneAssigned => "Affectation",
            Rule::GroupSize => "Taille des groupes",
            Rule::Manager => "Jamais avec sa ou son responsable",
            Rule::LoneGender => "Jamais une femme seule ni un homme seul",
        }
    }
}

/// One reason a casting is impossible: the rule and a French sentence with
/// the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub rule: Rule,
    pub message: String,
}

/// Why no casting is returned: every reason found, in a stable order. Never
/// empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Infeasible {
    pub reasons: Vec<Reason>,
}

impl Infeasible {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Infeasible {
            reasons: vec![Reason {
                rule,
                message: message.into(),
            }],
        }
    }

    /// The rules that cannot hold.
    pub fn rules(&self) -> Vec<Rule> {
        let mut rules: Vec<Rule> = self.reasons.iter().map(|r| r.rule).collect();
        rules.sort();
        rules.dedup();
        rules
    }
}

impl fmt::Display for Infeasible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&r.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Infeasible {}
