//! Quick checks of the hard rules before any search, each failure explained
//! in French with the rule and the numbers. Also the exact test of the
//! « no lone woman or man » rule against the size bounds (a small dynamic
//! programme), whose plan serves as a fallback construction.

use super::fr::{capitalise, count, sizes};
use super::instance::Instance;
use super::model::{Infeasible, Reason, Rule};
use super::score::lone_gender;

/// Women, men and people of unknown gender in each group.
pub(crate) type Plan = Vec<[u32; 3]>;

/// What is known of the gender rule once the sizes are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GenderPlan {
    /// Only one gender (or none) in the promotion: the rule cannot bite.
    NotNeeded,
    /// A plan of counts that respects the rule and the size bounds.
    Feasible(Plan),
    /// Proven impossible.
    Impossible,
    /// Too large to decide exactly; left to the search.
    TooLarge,
}

/// Every reason the hard rules cannot all hold that can be seen without
/// searching, or the gender plan when none is found.
pub(crate) fn check(inst: &Instance) -> Result<GenderPlan, Infeasible> {
    let (n, k) = (inst.n, inst.k);
    if k == 0 {
        return Err(Infeasible::new(Rule::Parameters, "Il faut demander au moins 1 groupe."));
    }
    if n == 0 {
        return Err(Infeasible::new(
            Rule::Parameters,
            "La promotion est vide : il n'y a personne à répartir.",
        ));
    }
    let mut reasons = Vec::new();
    let mut reason = |rule: Rule, message: String| reasons.push(Reason { rule, message });

    let projects = inst.params.projects.len();
    if projects > k {
        reason(
            Rule::Parameters,
            format!(
                "{} pour {} : donnez au plus un projet par groupe.",
                count(projects, "projet donné", "projets donnés"),
                count(k, "groupe", "groupes")
            ),
        );
    }
    if k > n {
        reason(
            Rule::GroupSize,
            format!(
                "{} pour {} : il faut au moins une personne par groupe.",
                count(k, "groupe demandé", "groupes demandés"),
                count(n, "personne", "personnes")
            ),
        );
        return Err(Infeasible { reasons });
    }

    let (min, max) = (inst.min_size, inst.max_size);
    if k * max < n {
        reason(
            Rule::GroupSize,
            format!(
                "{} d'au plus {} ne peuvent accueillir que {} ; la promotion en compte {n}.",
                count(k, "groupe", "groupes"),
                count(max, "personne", "personnes"),
                count(k * max, "personne", "personnes"),
            ),
        );
    } else if k * min > n {
        reason(
            Rule::GroupSize,
            format!(
                "{} d'au moins {} demandent au moins {} ; la promotion en compte {n}.",
                count(k, "groupe", "groupes"),
                count(min, "personne", "personnes"),
                count(k * min, "personne", "personnes"),
            ),
        );
    } else if min > max {
        reason(
            Rule::GroupSize,
            format!(
                "Taille minimale ({min}) supérieure à la taille maximale ({max}) : aucun groupe ne peut respecter les deux."
            ),
        );
    }
    if !reasons.is_empty() {
        // Nothing else can be judged without valid sizes.
        return Err(Infeasible { reasons });
    }

    manager_checks(inst, &mut reasons);

    let p = &inst.promo;
    let plan = gender_plan(k, min, max, p.women, p.men, p.unknown);
    let plan = match plan {
        GenderPlan::TooLarge if obviously_lone(inst) => GenderPlan::Impossible,
        other => other,
    };
    if plan == GenderPlan::Impossible {
        reasons.push(Reason {
            rule: Rule::LoneGender,
            message: lone_gender_message(inst),
        });
    }
    if reasons.is_empty() {
        Ok(plan)
    } else {
        Err(Infeasible { reasons })
    }
}

fn manager_checks(inst: &Instance, reasons: &mut Vec<Reason>) {
    let (n, k, min, max) = (inst.n, inst.k, inst.min_size, inst.max_size);
    let people = inst.people;
    if k == 1 {
        if let Some(i) = (0..n).find(|&i| inst.manager[i].is_some()) {
            let m = inst.manager[i].unwrap_or(i);
            let others = inst.managed() - 1;
            let mut message = format!(
                "Avec 1 groupe, {} serait dans le groupe de sa ou son responsable (id {}) : il faut au moins 2 groupes.",
                people[i].label(),
                people[m].id
            );
            if others > 0 {
                message.push_str(&format!(
                    " ({} dans le même cas.)",
                    count(others, "autre personne est", "autres personnes sont")
                ));
            }
            reasons.push(Reason {
                rule: Rule::Manager,
                message,
            });
        }
        return;
    }
    for (m, reports) in inst.reports.iter().enumerate() {
        let team = reports.len();
        if team == 0 {
            continue;
        }
        let places = (k - 1) * max;
        if team > places {
            reasons.push(Reason {
                rule: Rule::Manager,
                message: format!(
                    "{} est responsable de {} de la promotion : elles doivent être dans d'autres groupes que le sien, \
                     soit {} d'au plus {} ({}).",
                    capitalise(&people[m].label()),
                    count(team, "personne", "personnes"),
                    count(k - 1, "autre groupe", "autres groupes"),
                    count(max, "personne", "personnes"),
                    count(places, "place", "places"),
                ),
            });
        } else if n - team < min {
            reasons.push(Reason {
                rule: Rule::Manager,
                message: format!(
                    "{} est responsable de {team} des {n} personnes : son groupe doit compter au moins {} \
                     hors de son équipe (elle ou lui compris), il n'y en a que {}.",
                    capitalise(&people[m].label()),
                    count(min, "personne", "personnes"),
                    n - team
                ),
            });
        }
    }
    if k == 2
        && let Some((a, b)) = odd_cycle(inst)
    {
        reasons.push(Reason {
            rule: Rule::Manager,
            message: format!(
                "Avec 2 groupes, les liens de responsable forment une boucle de longueur impaire (par exemple entre \
                 l'id {} et l'id {}) : chacun ne peut pas être séparé de sa ou son responsable ; il faut au moins 3 groupes.",
                people[a].id, people[b].id
            ),
        });
    }
}

/// Two linked people that a 2-colouring of the manager links puts on the
/// same side, if any (then 2 groups cannot separate every pair).
fn odd_cycle(inst: &Instance) -> Option<(usize, usize)> {
    let n = inst.n;
    let mut neighbours = vec![Vec::new(); n];
    for (i, m) in inst.manager.iter().enumerate() {
        if let Some(m) = *m {
            neighbours[i].push(m);
            neighbours[m].push(i);
        }
    }
    let mut side = vec![u8::MAX; n];
    let mut stack = Vec::new();
    for start in 0..n {
        if side[start] != u8::MAX {
            continue;
        }
        side[start] = 0;
        stack.push(start);
        while let Some(x) = stack.pop() {
            for &y in &neighbours[x] {
                if side[y] == u8::MAX {
                    side[y] = 1 - side[x];
                    stack.push(y);
                } else if side[y] == side[x] {
                    return Some((x.min(y), x.max(y)));
                }
            }
        }
    }
    None
}

/// Without the exact test: a lone woman (or man) with no way to fill a group
/// without the other gender.
fn obviously_lone(inst: &Instance) -> bool {
    let p = &inst.promo;
    let lone = (p.women == 1 && p.men >= 1) || (p.men == 1 && p.women >= 1);
    lone && (inst.k == 1 || (p.unknown as usize) + 1 < inst.min_size)
}

fn lone_gender_message(inst: &Instance) -> String {
    let p = &inst.promo;
    let unknown = p.unknown as usize;
    let (single, other) = match (p.women, p.men) {
        (1, _) => (Some(("femme", "elle", "homme")), p.men),
        (_, 1) => (Some(("homme", "lui", "femme")), p.women),
        _ => (None, 0),
    };
    if let Some((gender, pronoun, other_gender)) = single {
        let seul = if gender == "femme" { "seule" } else { "seul" };
        let mut message = format!(
            "1 {seul} {gender} dans la promotion : {} serait forcément {seul} {gender} de son groupe",
            if gender == "femme" { "elle" } else { "il" }
        );
        if unknown > 0 && other > 0 {
            message.push_str(&format!(
                " ({} de genre non renseigné ne suffi{} pas à former avec {pronoun} un groupe sans {other_gender})",
                count(unknown, "personne", "personnes"),
                if unknown > 1 { "sent" } else { "t" }
            ));
        }
        message.push('.');
        return message;
    }
    let mut who = format!(
        "{} et {}",
        count(p.women as usize, "femme", "femmes"),
        count(p.men as usize, "homme", "hommes")
    );
    if unknown > 0 {
        who.push_str(&format!(
            " (et {} de genre non renseigné)",
            count(unknown, "personne", "personnes")
        ));
    }
    format!(
        "Avec {} {}, {who} ne peuvent pas être répartis sans qu'un groupe compte une seule femme ou un seul homme : \
         changez le nombre de groupes ou les tailles.",
        count(inst.k, "groupe", "groupes"),
        sizes(inst.min_size, inst.max_size)
    )
}

/// Biggest dynamic programme attempted (cells × group kinds).
const PLAN_WORK_LIMIT: usize = 60_000_000;

/// Exact test of the gender rule with sizes in `min..=max`: can `women`,
/// `men` and `unknown` people fill `k` groups so that none has exactly one
/// woman or one man beside the other gender?
///
/// Groups are filled one by one; the state is (groups filled, women used,
/// men used) and its value the fewest people of unknown gender needed to
/// reach the minimum sizes so far. That one number suffices: whatever the
/// path, the most unknowns the filled groups can take is
/// `groups × max − women − men`, the same for every path, so the unknowns a
/// state can absorb form an interval whose lower end is the value.
pub(crate) fn gender_plan(k: usize, min: usize, max: usize, women: u32, men: u32, unknown: u32) -> GenderPlan {
    if women == 0 || men == 0 {
        return GenderPlan::NotNeeded;
    }
    let (w_total, m_total) = (women as usize, men as usize);
    let width = m_total + 1;
    let cells = (w_total + 1) * width;
    // Group kinds (women, men, unknowns needed to reach `min`), the most
    // proportional first so that the plan read back is balanced.
    let mut kinds: Vec<(usize, usize, u32)> = Vec::new();
    for dw in 0..=w_total.min(max) {
        for dm in 0..=m_total.min(max - dw) {
            if !lone_gender(dw as u32, dm as u32) {
                kinds.push((dw, dm, min.saturating_sub(dw + dm) as u32));
            }
        }
    }
    if (k + 1).saturating_mul(cells) > PLAN_WORK_LIMIT / 8
        || k.saturating_mul(cells).saturating_mul(kinds.len()) > PLAN_WORK_LIMIT
    {
        return GenderPlan::TooLarge;
    }
    kinds.sort_by_key(|&(dw, dm, _)| {
        let known = dw + dm;
        let skew = (dw * m_total).abs_diff(dm * w_total) * 1000 / known.max(1);
        (known == 0, skew, std::cmp::Reverse(known))
    });

    const INF: u32 = u32::MAX;
    let mut layers: Vec<Vec<u32>> = Vec::with_capacity(k + 1);
    let mut first = vec![INF; cells];
    first[0] = 0;
    layers.push(first);
    for layer in 0..k {
        let prev = &layers[layer];
        let mut next = vec![INF; cells];
        for w in 0..=w_total {
            for m in 0..=m_total {
                let cur = prev[w * width + m];
                if cur == INF {
                    continue;
                }
                for &(dw, dm, need) in &kinds {
                    if w + dw > w_total || m + dm > m_total {
                        continue;
                    }
                    let cell = &mut next[(w + dw) * width + m + dm];
                    *cell = (*cell).min(cur + need);
                }
            }
        }
        layers.push(next);
    }
    if layers[k][w_total * width + m_total] > unknown {
        return GenderPlan::Impossible;
    }

    // Read a plan back, then share the spare unknowns out.
    let mut plan: Plan = Vec::with_capacity(k);
    let (mut w, mut m) = (w_total, m_total);
    for layer in (1..=k).rev() {
        let target = layers[layer][w * width + m];
        let Some(&(dw, dm, need)) = kinds.iter().find(|&&(dw, dm, need)| {
            dw <= w && dm <= m && {
                let before = layers[layer - 1][(w - dw) * width + m - dm];
                before != INF && before + need == target
            }
        }) else {
            return GenderPlan::TooLarge; // not reached: every value has a predecessor
        };
        plan.push([dw as u32, dm as u32, need]);
        w -= dw;
        m -= dm;
    }
    let mut spare = unknown - plan.iter().map(|g| g[2]).sum::<u32>();
    while spare > 0 {
        let before = spare;
        for g in plan.iter_mut() {
            if spare > 0 && (g[0] + g[1] + g[2]) < max as u32 {
                g[2] += 1;
                spare -= 1;
            }
        }
        if before == spare {
            return GenderPlan::TooLarge; // not reached when k × max ≥ n
        }
    }
    GenderPlan::Feasible(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(plan: &Plan, min: usize, max: usize, w: u32, m: u32, u: u32) -> bool {
        plan.iter().all(|g| {
            let size = (g[0] + g[1] + g[2]) as usize;
            !lone_gender(g[0], g[1]) && size >= min && size <= max
        }) && plan.iter().map(|g| g[0]).sum::<u32>() == w
            && plan.iter().map(|g| g[1]).sum::<u32>() == m
            && plan.iter().map(|g| g[2]).sum::<u32>() == u
    }

    #[test]
    fn gender_plan_exact() {
        // 3 groups of 2, 3 women and 3 men: (1,1) is the only mixed pair.
        assert_eq!(gender_plan(3, 2, 2, 3, 3, 0), GenderPlan::Impossible);
        // 2 groups of 3: (2,1) breaks the rule, (3,0) + (0,3) does not.
        match gender_plan(2, 3, 3, 3, 3, 0) {
            GenderPlan::Feasible(p) => assert!(valid(&p, 3, 3, 3, 3, 0), "{p:?}"),
            other => panic!("{other:?}"),
        }
        // One woman, enough unknowns to give her a group without men.
        match gender_plan(2, 3, 3, 1, 3, 2) {
            GenderPlan::Feasible(p) => assert!(valid(&p, 3, 3, 1, 3, 2), "{p:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(gender_plan(2, 3, 3, 1, 4, 1), GenderPlan::Impossible);
        assert_eq!(gender_plan(2, 3, 3, 6, 0, 0), GenderPlan::NotNeeded);
        // 40 people into 6 groups: balanced plans exist.
        match gender_plan(6, 6, 7, 22, 18, 0) {
            GenderPlan::Feasible(p) => {
                assert!(valid(&p, 6, 7, 22, 18, 0), "{p:?}");
                // Proportional kinds first: no single-gender group.
                assert!(p.iter().all(|g| g[0] >= 2 && g[1] >= 2), "{p:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}
