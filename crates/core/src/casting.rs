//! Casting of project groups: balanced groups from a promotion.
//!
//! A pure engine — no database, no I/O, no clock — shared by the promotion
//! pages (`/promotions/{id}/groupes`), the API and `maillage casting
//! FILE.csv`:
//!
//! - [`solve`] builds `K` groups that respect the **hard rules** (size
//!   bounds, nobody with their line manager, never a lone woman or a lone
//!   man — [`lone_gender`]) and maximise the **worst group's** balance
//!   score over the soft criteria (gender, age, seniority, temperament,
//!   employers, wishes), the mean breaking ties. Or it says, in French, which
//!   rule cannot hold and why ([`Infeasible`]), never a silent bad result.
//! - [`evaluate`] reports on *any* assignment — the school's hand edits
//!   included, even those breaking rules — per group and per criterion.
//! - [`check`] runs the quick feasibility checks alone (for a form).
//!
//! Reproducible: the same people, parameters and [`Params::seed`] give the
//! same groups on any machine (a seeded SplitMix64, integer aggregates,
//! index-ordered loops, an iteration budget rather than a time budget).
//!
//! Where things are: the definitions of every score and of the objective in
//! `score.rs` (read its header first); the quick checks and their messages
//! in `feasibility.rs`; the construction in `construct.rs`; the local
//! search in `solve.rs`; the report in `report.rs`; the spreadsheet reader
//! in [`spreadsheet`]; the exact optimum and the upper bound used by the
//! benchmark in [`exhaustive`]; the benchmark in [`bench`].

mod construct;
mod feasibility;
mod fr;
mod instance;
mod model;
mod report;
mod rng;
mod score;
mod solve;
mod tally;

pub mod bench;
pub mod exhaustive;
pub mod spreadsheet;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use fr::percent;
pub use model::{Assignment, Effort, Gender, Infeasible, Params, Person, Reason, Rule, Solution, Weights};
pub use report::{Breach, CriterionLine, CriterionSummary, GroupReport, Member, Report, RuleLine};
pub use rng::SplitMix64;
pub use score::{Criterion, Status, lone_gender, status};

use instance::Instance;

/// Builds the groups. `Err` when a hard rule cannot hold: either a quick
/// check proves it (every such reason is listed), or the search found no
/// casting respecting them all (the reasons then name the rules the best
/// attempt still broke).
pub fn solve(people: &[Person], params: &Params) -> Result<Solution, Infeasible> {
    let inst = Instance::new(people, params);
    let plan = feasibility::check(&inst)?;
    let (groups, objective) = solve::search(&inst, &plan, &params.effort);
    let assignment = Assignment::new(groups);
    let report = report::build(&inst, &assignment);
    if objective.violations > 0 || !report.hard_rules_met {
        return Err(not_found(&report, params.effort.restarts));
    }
    Ok(Solution { assignment, report })
}

/// The report of any assignment of `people` into `params.groups` groups:
/// scores, what is met or missed, and every hard rule broken. Never panics:
/// people without a valid group and extra entries are reported as such.
pub fn evaluate(people: &[Person], params: &Params, assignment: &Assignment) -> Report {
    let inst = Instance::new(people, params);
    report::build(&inst, assignment)
}

/// The quick feasibility checks alone (no search): what [`solve`] would
/// refuse before searching.
pub fn check(people: &[Person], params: &Params) -> Result<(), Infeasible> {
    feasibility::check(&Instance::new(people, params)).map(|_| ())
}

/// The search found no casting without breaches although no quick check
/// proved it impossible: one reason per rule the best attempt still broke.
fn not_found(report: &Report, restarts: u32) -> Infeasible {
    let mut reasons: Vec<Reason> = Vec::new();
    let mut rules: Vec<Rule> = report.breaches.iter().map(|b| b.rule).collect();
    rules.sort();
    rules.dedup();
    for rule in rules {
        let breaches: Vec<&Breach> = report.breaches.iter().filter(|b| b.rule == rule).collect();
        let mut message = format!(
            "Aucune répartition trouvée ({}) ne respecte la règle « {} » : dans la meilleure, {}",
            fr::count(restarts.max(1) as usize, "essai", "essais"),
            rule.label(),
            lower_first(&breaches[0].message)
        );
        if breaches.len() > 1 {
            message.push_str(&format!(
                " (et {})",
                fr::count(breaches.len() - 1, "autre manquement", "autres manquements")
            ));
        }
        message.push_str(
            ". Ces règles ne peuvent sans doute pas être tenues ensemble : essayez un autre nombre de groupes \
             ou des tailles plus souples.",
        );
        reasons.push(Reason { rule, message });
    }
    if reasons.is_empty() {
        reasons.push(Reason {
            rule: Rule::Parameters,
            message: "Aucune répartition respectant les règles n'a été trouvée.".to_owned(),
        });
    }
    Infeasible { reasons }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The JSON document `maillage casting --format json` prints: the seed (to
/// reproduce), the reader's warnings, each person's group, the report.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub seed: u64,
    /// Encoding the spreadsheet was read in.
    pub encoding: &'a str,
    pub warnings: &'a [String],
    pub assignment: Vec<Placement<'a>>,
    pub report: &'a Report,
}

/// One person's group, 1-based as shown.
#[derive(Debug, Serialize)]
pub struct Placement<'a> {
    pub id: &'a str,
    pub group: usize,
}

impl<'a> Document<'a> {
    pub fn new(
        people: &'a [Person],
        solution: &'a Solution,
        seed: u64,
        encoding: &'a str,
        warnings: &'a [String],
    ) -> Self {
        Document {
            seed,
            encoding,
            warnings,
            assignment: people
                .iter()
                .zip(&solution.assignment.groups)
                .map(|(p, &g)| Placement {
                    id: &p.id,
                    group: g + 1,
                })
                .collect(),
            report: &solution.report,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"erreur\": \"{e}\"}}"))
    }
}
