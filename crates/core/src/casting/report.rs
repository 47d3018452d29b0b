//! The report of a casting: per group, its members, its score, a French line
//! per criterion saying what is met or missed and a line per hard rule; per
//! criterion, a summary across groups; the hard rules broken, if any. Built
//! from any assignment — the school's hand edits included — and never
//! panics: people without a valid group are listed, broken rules are said.

use serde::Serialize;

use super::fr::{capitalise, count, percent, score as fmt_score, years};
use super::instance::Instance;
use super::model::{Assignment, Rule};
use super::score::{self, Criterion, Moments, Status, Summary};
use super::tally::{NONE, Tally};

/// Everything the page, the API and the command line show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// People in the promotion.
    pub people: usize,
    /// Groups asked for (K).
    pub group_count: usize,
    /// The size bounds the casting had to respect.
    pub size_min: usize,
    pub size_max: usize,
    /// The worst group's score (the objective) and the mean; `None` without
    /// groups.
    pub min_score: Option<f64>,
    pub mean_score: Option<f64>,
    /// No hard rule broken anywhere.
    pub hard_rules_met: bool,
    /// Every hard-rule breach, group by group.
    pub breaches: Vec<Breach>,
    /// Ids of people without a valid group (edited assignments only).
    pub unassigned: Vec<String>,
    pub groups: Vec<GroupReport>,
    /// One summary per criterion, in [`Criterion::ALL`] order.
    pub criteria: Vec<CriterionSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupReport {
    /// 1-based, as shown to people (« Groupe 1 »).
    pub number: usize,
    pub project: Option<String>,
    pub size: usize,
    pub score: f64,
    /// In input order.
    pub members: Vec<Member>,
    /// One line per criterion, in [`Criterion::ALL`] order.
    pub criteria: Vec<CriterionLine>,
    /// One line per hard rule (several for managers when broken).
    pub rules: Vec<RuleLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Position in the input.
    pub index: usize,
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionLine {
    pub criterion: Criterion,
    /// `None`: « non renseigné », not part of the group's score.
    pub score: Option<f64>,
    pub status: Status,
    /// « Genre : 3 femmes, 2 hommes — équilibré ».
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleLine {
    pub rule: Rule,
    pub met: bool,
    pub text: String,
}

/// A hard rule broken somewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breach {
    pub rule: Rule,
    /// 1-based group number, when the breach is in one group.
    pub group: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionSummary {
    pub criterion: Criterion,
    /// Weight in the group score (0: shown, not counted).
    pub weight: f64,
    /// Groups where the criterion was scored, and how they fared.
    pub scored_groups: usize,
    pub met: usize,
    pub partial: usize,
    pub missed: usize,
    pub min_score: Option<f64>,
    pub mean_score: Option<f64>,
    pub text: String,
}

/// The report of `assignment` (any assignment).
pub(crate) fn build(inst: &Instance, assignment: &Assignment) -> Report {
    let (n, k) = (inst.n, inst.k);
    let groups: Vec<usize> = (0..n)
        .map(|i| assignment.group_of(i).filter(|&g| g < k).unwrap_or(NONE))
        .collect();
    let tally = Tally::from_groups(inst, &groups);
    let mut breaches = Vec::new();

    let unassigned: Vec<usize> = (0..n).filter(|&i| groups[i] == NONE).collect();
    if !unassigned.is_empty() {
        let ids: Vec<String> = unassigned
            .iter()
            .map(|&i| format!("id {}", inst.people[i].id))
            .collect();
        breaches.push(Breach {
            rule: Rule::EveryoneAssigned,
            group: None,
            message: format!(
                "{} sans groupe valide ({} {}) : {}.",
                count(unassigned.len(), "personne", "personnes"),
                count(k, "groupe", "groupes"),
                if k > 1 {
                    "numérotés de 1 à ".to_owned() + &k.to_string()
                } else {
                    "seulement".to_owned()
                },
                ids.join(", ")
            ),
        });
    }
    if assignment.groups.len() > n {
        breaches.push(Breach {
            rule: Rule::EveryoneAssigned,
            group: None,
            message: format!(
                "L'affectation compte {} pour {} : les dernières sont ignorées.",
                count(assignment.groups.len(), "entrée", "entrées"),
                count(n, "personne", "personnes")
            ),
        });
    }

    let extremes = Extremes::of(inst);
    let mut reports = Vec::with_capacity(k);
    for g in 0..k {
        let report = group_report(inst, &tally, g, &extremes);
        for line in report.rules.iter().filter(|l| !l.met) {
            breaches.push(Breach {
                rule: line.rule,
                group: Some(g + 1),
                message: format!("Groupe {} — {}", g + 1, line.text),
            });
        }
        reports.push(report);
    }

    let criteria = Criterion::ALL.iter().map(|&c| summary(inst, c, &reports)).collect();
    let min_score = reports.iter().map(|r| r.score).reduce(f64::min);
    let mean_score = (!reports.is_empty()).then(|| reports.iter().map(|r| r.score).sum::<f64>() / k as f64);
    Report {
        people: n,
        group_count: k,
        size_min: inst.min_size,
        size_max: inst.max_size,
        min_score,
        mean_score,
        hard_rules_met: breaches.is_empty(),
        breaches,
        unassigned: unassigned.iter().map(|&i| inst.people[i].id.clone()).collect(),
        groups: reports,
        criteria,
    }
}

/// Youngest and oldest, least and most senior of the promotion.
struct Extremes {
    age: Option<(u32, u32)>,
    seniority: Option<(u32, u32)>,
}

impl Extremes {
    fn of(inst: &Instance) -> Self {
        Extremes {
            age: range(inst.age.iter().flatten().copied()),
            seniority: range(inst.seniority.iter().flatten().copied()),
        }
    }
}

fn range(values: impl Iterator<Item = u32>) -> Option<(u32, u32)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

fn group_report(inst: &Instance, tally: &Tally, g: usize, extremes: &Extremes) -> GroupReport {
    let s = &tally.summaries[g];
    let mut members = tally.members[g].clone();
    members.sort_unstable();
    let criteria = Criterion::ALL
        .iter()
        .map(|&c| {
            let value = score::criterion(inst, g, s, c);
            let status = score::status(c, value);
            CriterionLine {
                criterion: c,
                score: value,
                status,
                text: criterion_text(inst, g, s, &members, c, status, extremes),
            }
        })
        .collect();
    GroupReport {
        number: g + 1,
        project: inst.params.project(g).map(str::to_owned),
        size: members.len(),
        score: score::group(inst, g, s),
        members: members
            .iter()
            .map(|&i| Member {
                index: i,
                id: inst.people[i].id.clone(),
                name: inst.people[i].name.clone(),
            })
            .collect(),
        criteria,
        rules: rule_lines(inst, g, s, &members, tally),
    }
}

fn rule_lines(inst: &Instance, g: usize, s: &Summary, members: &[usize], tally: &Tally) -> Vec<RuleLine> {
    const BROKEN: &str = "règle non respectée";
    let mut lines = Vec::new();
    let size = s.size as usize;
    let (min, max) = (inst.min_size, inst.max_size);
    let bounds = if min == max {
        format!("{min} attendues")
    } else {
        format!("de {min} à {max}")
    };
    let people = count(size, "personne", "personnes");
    lines.push(if size < min || size > max {
        RuleLine {
            rule: Rule::GroupSize,
            met: false,
            text: format!("Taille : {people}, hors des bornes ({bounds}) — {BROKEN}"),
        }
    } else {
        RuleLine {
            rule: Rule::GroupSize,
            met: true,
            text: format!("Taille : {people} ({bounds}) — respectée"),
        }
    });

    let (w, m) = (s.women, s.men);
    let lone = match (w, m) {
        (1, 1) => Some("1 femme et 1 homme, chacun seul de son genre".to_owned()),
        (1, m) if m > 1 => Some(format!("1 seule femme avec {m} hommes")),
        (w, 1) if w > 1 => Some(format!("1 seul homme avec {w} femmes")),
        _ => None,
    };
    lines.push(match lone {
        Some(what) => RuleLine {
            rule: Rule::LoneGender,
            met: false,
            text: format!("Genre : {what} — {BROKEN}"),
        },
        None => RuleLine {
            rule: Rule::LoneGender,
            met: true,
            text: "Femme ou homme seul : aucun — respectée".to_owned(),
        },
    });

    let mut pairs = 0;
    for &i in members {
        if let Some(boss) = inst.manager[i].filter(|&b| tally.group_of[b] == g) {
            pairs += 1;
            let manager = &inst.people[boss];
            let who = match manager.name.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                Some(name) => format!("{name}, id {}", manager.id),
                None => format!("id {}", manager.id),
            };
            lines.push(RuleLine {
                rule: Rule::Manager,
                met: false,
                text: format!(
                    "Responsable : {} est avec sa ou son responsable ({who}) — {BROKEN}",
                    inst.people[i].label()
                ),
            });
        }
    }
    if pairs == 0 {
        lines.push(RuleLine {
            rule: Rule::Manager,
            met: true,
            text: "Responsables : personne n'est avec sa ou son responsable — respectée".to_owned(),
        });
    }
    lines
}

fn criterion_text(
    inst: &Instance,
    g: usize,
    s: &Summary,
    members: &[usize],
    c: Criterion,
    status: Status,
    extremes: &Extremes,
) -> String {
    let label = c.label();
    let promo = &inst.promo;
    match c {
        Criterion::Gender => {
            if promo.women + promo.men == 0 {
                return format!("{label} : non renseigné");
            }
            let mut parts = vec![
                if s.women == 0 {
                    "aucune femme".to_owned()
                } else {
                    count(s.women as usize, "femme", "femmes")
                },
                if s.men == 0 {
                    "aucun homme".to_owned()
                } else {
                    count(s.men as usize, "homme", "hommes")
                },
            ];
            let unknown = (s.size - s.women - s.men) as usize;
            if unknown > 0 {
                parts.push(count(unknown, "non renseigné", "non renseignés"));
            }
            let promo_share = format!(
                "promotion : {} de femmes",
                percent(promo.women, promo.women + promo.men)
            );
            let verdict = match status {
                Status::Met => "équilibré".to_owned(),
                Status::Partial => format!("presque équilibré ({promo_share})"),
                Status::Missed => format!("déséquilibré ({promo_share})"),
                Status::NotScored => "personne de genre renseigné dans ce groupe".to_owned(),
            };
            format!("{label} : {} — {verdict}", parts.join(", "))
        }
        Criterion::Age => moments_text(label, s.age, promo.age, s.size, status, members, extremes.age, |i| {
            inst.age[i]
        }),
        Criterion::Seniority => moments_text(
            label,
            s.seniority,
            promo.seniority,
            s.size,
            status,
            members,
            extremes.seniority,
            |i| inst.seniority[i],
        ),
        Criterion::Temperament => {
            if promo.temperaments == 0 {
                return format!("{label} : non renseigné");
            }
            let mut codes: Vec<u32> = members.iter().filter_map(|&i| inst.temperament[i]).collect();
            codes.sort_unstable();
            codes.dedup();
            let names: Vec<&str> = codes
                .iter()
                .map(|&t| inst.temperament_names[t as usize].as_str())
                .collect();
            let head = if s.temperament_known == 0 {
                "personne ne l'a renseigné dans ce groupe".to_owned()
            } else {
                format!(
                    "{} pour {} ({})",
                    count(s.temperament_distinct as usize, "tempérament", "tempéraments"),
                    count(s.temperament_known as usize, "personne", "personnes"),
                    names.join(", ")
                )
            };
            let possible = s.temperament_known.min(promo.temperaments);
            let verdict = match status {
                Status::Met => " — diversité complète".to_owned(),
                Status::NotScored => String::new(),
                _ => format!(" — diversité incomplète ({possible} possibles)"),
            };
            let missing = (s.size - s.temperament_known) as usize;
            let tail = if missing > 0 && s.temperament_known > 0 {
                format!(
                    " ; {} sans tempérament renseigné",
                    count(missing, "personne", "personnes")
                )
            } else {
                String::new()
            };
            format!("{label} : {head}{verdict}{tail}")
        }
        Criterion::Organisation => {
            if promo.organisations == 0 {
                return format!("{label} : non renseigné");
            }
            if s.organisation_known == 0 {
                return format!("{label} : personne n'a d'employeur renseigné dans ce groupe");
            }
            let possible = s.organisation_known.min(promo.organisations);
            let verdict = match status {
                Status::Met => " — mixité complète".to_owned(),
                Status::NotScored => String::new(),
                _ => format!(" — mixité incomplète ({possible} possibles)"),
            };
            let missing = (s.size - s.organisation_known) as usize;
            let tail = if missing > 0 {
                format!(
                    " ; {} sans employeur renseigné",
                    count(missing, "personne", "personnes")
                )
            } else {
                String::new()
            };
            format!(
                "{label} : {} pour {}{verdict}{tail}",
                count(s.organisation_distinct as usize, "organisation", "organisations"),
                count(s.organisation_known as usize, "personne", "personnes"),
            )
        }
        Criterion::Wishes => {
            let Some(project) = inst.params.project(g) else {
                return if promo.voters == 0 {
                    format!("{label} : non renseignés")
                } else {
                    format!("{label} : pas de projet attribué à ce groupe")
                };
            };
            if s.voters == 0 {
                return format!("{label} : personne n'a exprimé de vœu dans ce groupe (projet « {project} »)");
            }
            let verdict = match status {
                Status::Met => "vœux tous satisfaits",
                Status::Partial => "vœux en partie satisfaits",
                _ => "aucun vœu satisfait",
            };
            format!(
                "{label} : {} sur {} ayant exprimé des vœux {} demandé le projet « {project} » — {verdict}",
                s.granted,
                count(s.voters as usize, "personne", "personnes"),
                if s.granted > 1 { "ont" } else { "a" },
            )
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn moments_text(
    label: &str,
    group: Moments,
    promo: Moments,
    size: u32,
    status: Status,
    members: &[usize],
    promo_range: Option<(u32, u32)>,
    value: impl Fn(usize) -> Option<u32>,
) -> String {
    let Some(promo_mean) = promo.mean() else {
        return format!("{label} : non renseigné");
    };
    let promo_text = match promo_range {
        Some((lo, hi)) if lo != hi => format!(
            "promotion : moyenne {}, de {lo} à {}",
            years(promo_mean),
            years(f64::from(hi))
        ),
        _ => format!("promotion : {}", years(promo_mean)),
    };
    let Some(mean) = group.mean() else {
        return format!("{label} : non renseigné dans ce groupe ({promo_text})");
    };
    let head = match range(members.iter().filter_map(|&i| value(i))) {
        Some((lo, hi)) if lo != hi => format!("moyenne {}, de {lo} à {}", years(mean), years(f64::from(hi))),
        _ => years(mean),
    };
    let verdict = match status {
        Status::Met => "proche de la promotion",
        Status::Partial => "assez proche de la promotion",
        _ => "éloigné de la promotion",
    };
    let missing = (size - group.count) as usize;
    let tail = if missing > 0 {
        format!(" ; {}", count(missing, "non renseigné", "non renseignés"))
    } else {
        String::new()
    };
    format!("{label} : {head} ({promo_text}) — {verdict}{tail}")
}

fn summary(inst: &Instance, c: Criterion, groups: &[GroupReport]) -> CriterionSummary {
    let lines: Vec<&CriterionLine> = groups.iter().map(|g| &g.criteria[c.index()]).collect();
    let scores: Vec<f64> = lines.iter().filter_map(|l| l.score).collect();
    let tally = |s: Status| lines.iter().filter(|l| l.status == s).count();
    let (met, partial, missed) = (tally(Status::Met), tally(Status::Partial), tally(Status::Missed));
    let min_score = scores.iter().copied().reduce(f64::min);
    let mean_score = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
    let weight = inst.weights[c.index()];
    let text = match (min_score, mean_score) {
        (Some(lo), Some(mean)) => {
            let scored = scores.len();
            let mut parts = vec![match met {
                0 => format!("atteint dans aucun groupe sur {scored}"),
                _ => format!("atteint dans {} sur {scored}", count(met, "groupe", "groupes")),
            }];
            if partial > 0 {
                parts.push(format!("en partie dans {partial}"));
            }
            if missed > 0 {
                parts.push(format!("manqué dans {missed}"));
            }
            let mut text = format!(
                "{} : {} — score le plus bas {}, moyenne {}",
                c.label(),
                parts.join(", "),
                fmt_score(lo),
                fmt_score(mean)
            );
            if weight == 0.0 {
                text.push_str(" (poids nul : non compté dans les scores)");
            }
            text
        }
        _ => match c {
            Criterion::Wishes if inst.promo.voters > 0 => {
                format!("{} : non pris en compte (aucun projet attribué aux groupes)", c.label())
            }
            Criterion::Wishes => format!("{} : non renseignés", c.label()),
            _ => format!("{} : non renseigné", c.label()),
        },
    };
    CriterionSummary {
        criterion: c,
        weight,
        scored_groups: scores.len(),
        met,
        partial,
        missed,
        min_score,
        mean_score,
        text,
    }
}

impl Report {
    /// The report as French text for a terminal (`maillage casting`).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(format!(
            "{} en {}.",
            capitalise(&count(self.people, "personne", "personnes")),
            count(self.group_count, "groupe", "groupes")
        ));
        if let (Some(min), Some(mean)) = (self.min_score, self.mean_score) {
            line(format!(
                "Score du groupe le plus faible : {} ; moyenne des groupes : {}.",
                fmt_score(min),
                fmt_score(mean)
            ));
        }
        if self.hard_rules_met {
            line("Règles impératives : toutes respectées.".to_owned());
        } else {
            line(format!(
                "Règles impératives : {} —",
                count(self.breaches.len(), "manquement", "manquements")
            ));
            for b in &self.breaches {
                line(format!("  ✗ {}", b.message));
            }
        }
        for g in &self.groups {
            line(String::new());
            let mut title = format!(
                "Groupe {} — {} — score {}",
                g.number,
                count(g.size, "personne", "personnes"),
                fmt_score(g.score)
            );
            if let Some(p) = &g.project {
                title.push_str(&format!(" — projet « {p} »"));
            }
            line(title);
            let names: Vec<String> = g
                .members
                .iter()
                .map(|m| match m.name.as_deref().filter(|x| !x.trim().is_empty()) {
                    Some(name) => format!("{name} ({})", m.id),
                    None => m.id.clone(),
                })
                .collect();
            line(format!("  Membres : {}", names.join(", ")));
            for c in &g.criteria {
                let mark = match c.status {
                    Status::Met => "✓",
                    Status::Partial => "≈",
                    Status::Missed => "✗",
                    Status::NotScored => "–",
                };
                line(format!("  {mark} {}", c.text));
            }
            let broken: Vec<&RuleLine> = g.rules.iter().filter(|r| !r.met).collect();
            if broken.is_empty() {
                line("  ✓ Règles impératives respectées".to_owned());
            }
            for r in broken {
                line(format!("  ✗ {}", r.text));
            }
        }
        line(String::new());
        line("Synthèse par critère".to_owned());
        for c in &self.criteria {
            line(format!("  {}", c.text));
        }
        out
    }
}
