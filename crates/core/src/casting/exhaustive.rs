//! Yardsticks for the benchmark: the exact optimum of small promotions by
//! exhaustive search, and an upper bound on the best worst-group score of
//! large ones. Both use the definitions of `score.rs`, like the search.

use super::instance::Instance;
use super::model::{Assignment, Params, Person};
use super::score::{self, Criterion, EPS, Objective};
use super::tally::Tally;

/// Largest promotion [`optimum`] accepts (12 people into 4 labelled groups
/// is about 370,000 castings).
pub const MAX_PEOPLE: usize = 12;

/// The best casting there is.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimum {
    pub assignment: Assignment,
    /// The worst group's score (what the search maximises) and the mean.
    pub min_score: f64,
    pub mean_score: f64,
    /// Complete castings examined.
    pub explored: u64,
}

/// The exact optimum (max–min, then mean) over every casting respecting the
/// hard rules; `None` when there is none, or more than [`MAX_PEOPLE`]
/// people, or no group.
///
/// Depth-first over people in input order, with the group structure's
/// symmetry removed when groups carry no project (a person may only open the
/// first empty group), a manager beside their manager or team cut at once,
/// and sizes checked as groups fill.
pub fn optimum(people: &[Person], params: &Params) -> Option<Optimum> {
    let inst = Instance::new(people, params);
    if inst.n > MAX_PEOPLE || inst.k == 0 || inst.k > inst.n || inst.min_size > inst.max_size {
        return None;
    }
    let labelled = inst.has_project.iter().any(|&p| p);
    let mut walk = Walk {
        inst: &inst,
        tally: Tally::empty(&inst),
        labelled,
        best: None,
        explored: 0,
    };
    walk.go(0, 0);
    let Walk { best, explored, .. } = walk;
    let (groups, obj) = best?;
    Some(Optimum {
        assignment: Assignment::new(groups),
        min_score: obj.min,
        mean_score: obj.sum / inst.k as f64,
        explored,
    })
}

struct Walk<'a> {
    inst: &'a Instance<'a>,
    tally: Tally,
    labelled: bool,
    best: Option<(Vec<usize>, Objective)>,
    explored: u64,
}

impl Walk<'_> {
    /// Places person `i`; `opened` groups are in use so far.
    fn go(&mut self, i: usize, opened: usize) {
        let inst = self.inst;
        let (n, k) = (inst.n, inst.k);
        // People left must still fill every group up to the minimum.
        let missing: usize = (0..k)
            .map(|g| inst.min_size.saturating_sub(self.tally.members[g].len()))
            .sum();
        if missing > n - i {
            return;
        }
        if i == n {
            self.leaf();
            return;
        }
        let last = if self.labelled { k } else { (opened + 1).min(k) };
        for g in 0..last {
            if self.tally.members[g].len() >= inst.max_size || self.tally.links(inst, i, g, usize::MAX) > 0 {
                continue;
            }
            self.tally.place(inst, i, g);
            self.go(i + 1, opened.max(g + 1));
            self.tally.unplace(inst, i);
        }
    }

    fn leaf(&mut self) {
        self.explored += 1;
        let inst = self.inst;
        let mut obj = Objective {
            violations: 0,
            min: f64::INFINITY,
            sum: 0.0,
        };
        for g in 0..inst.k {
            let s = &self.tally.summaries[g];
            obj.violations += score::violations(inst, s);
            let x = score::group(inst, g, s);
            obj.min = obj.min.min(x);
            obj.sum += x;
        }
        if obj.violations == 0 && self.best.as_ref().is_none_or(|b| obj.better_than(&b.1)) {
            self.best = Some((self.tally.group_of.clone(), obj));
        }
    }
}

/// An upper bound on the best worst-group score any casting can reach, or
/// `None` when the argument below does not apply: it needs every person to
/// have every value (gender, age, seniority, temperament, employer), no
/// project labels, and the default sizes (which differ by at most one, so
/// their multiset is known).
///
/// Why it holds. Write x_c(g) for criterion c's score in group g and
/// w_c for its weight, W = Σ w_c. With complete data every criterion is
/// scored in every group, so score(g) = Σ_c w_c x_c(g) / W, and:
///
/// 1. the worst group is at most the average group:
///    min_g score(g) ≤ Σ_c w_c · avg_g x_c(g) / W ≤ Σ_c w_c · A_c / W;
/// 2. the group worst on criterion c scores at most 1 elsewhere:
///    min_g score(g) ≤ (w_c · B_c + W − w_c) / W for every c,
///
/// where A_c bounds the average and B_c the minimum over groups of x_c.
/// Gender, age and seniority use the trivial A_c = B_c = 1. For employers
/// and temperaments, a value held by c_v people can be present in at most
/// min(c_v, K) groups, so the distinct values of all groups add up to at
/// most D = Σ_v min(c_v, K); a group of size s needs d distinct values to
/// score (d − 1)/(min(s, C) − 1). A_c is the best average under that
/// budget (spent greedily on the groups where one more value is worth the
/// most, which is optimal for this separable, linear problem), B_c the best
/// threshold every group can reach within it.
pub fn upper_bound(people: &[Person], params: &Params) -> Option<f64> {
    let inst = Instance::new(people, params);
    let (n, k) = (inst.n, inst.k);
    let complete = people.iter().all(|p| {
        p.gender.is_some()
            && p.age.is_some()
            && p.seniority_years.is_some()
            && p.temperament.is_some()
            && p.organisation.is_some()
    });
    if !complete
        || k == 0
        || k > n
        || params.min_size.is_some()
        || params.max_size.is_some()
        || inst.has_project.iter().any(|&p| p)
    {
        return None;
    }
    let mut sizes = vec![n / k; k];
    for s in sizes.iter_mut().take(n % k) {
        *s += 1;
    }
    let weights = inst.weights;
    let total: f64 = Criterion::ALL
        .iter()
        .filter(|&&c| c != Criterion::Wishes)
        .map(|&c| weights[c.index()])
        .sum();
    if total <= 0.0 {
        return Some(1.0);
    }
    let mut average = 0.0;
    let mut worst_case: f64 = 1.0;
    for c in Criterion::ALL {
        let w = weights[c.index()];
        let (a, b) = match c {
            Criterion::Temperament => diversity_bounds(&values_count(&inst.temperament), &sizes),
            Criterion::Organisation => diversity_bounds(&values_count(&inst.organisation), &sizes),
            Criterion::Wishes => continue,
            _ => (1.0, 1.0),
        };
        average += w * a;
        worst_case = worst_case.min((w * b + total - w) / total);
    }
    Some((average / total).min(worst_case).min(1.0))
}

/// People per value.
fn values_count(codes: &[Option<u32>]) -> Vec<usize> {
    let mut counts: Vec<usize> = Vec::new();
    for &c in codes.iter().flatten() {
        let c = c as usize;
        if counts.len() <= c {
            counts.resize(c + 1, 0);
        }
        counts[c] += 1;
    }
    counts
}

/// (A, B) for a diversity criterion: the best average and the best minimum
/// of (d − 1)/(P − 1) over groups of the given sizes, under Σ d ≤ D.
fn diversity_bounds(counts: &[usize], sizes: &[usize]) -> (f64, f64) {
    let k = sizes.len();
    let values = counts.len();
    let budget: usize = counts.iter().map(|&c| c.min(k)).sum();
    let possible: Vec<usize> = sizes.iter().map(|&s| s.min(values)).collect();
    let score = |d: usize, p: usize| if p <= 1 { 1.0 } else { (d - 1) as f64 / (p - 1) as f64 };

    // Average: every group starts with one value; each further value in a
    // group of P possible is worth 1/(P − 1): fill the smallest P first.
    let mut distinct = vec![1usize; k];
    let mut left = budget.saturating_sub(k);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by_key(|&g| possible[g]);
    for &g in &order {
        let room = possible[g].saturating_sub(distinct[g]);
        let add = room.min(left);
        distinct[g] += add;
        left -= add;
    }
    let average = (0..k).map(|g| score(distinct[g], possible[g])).sum::<f64>() / k as f64;

    // Minimum: the highest threshold t every group can reach within the
    // budget, among the scores that exist.
    let mut thresholds: Vec<f64> = possible
        .iter()
        .flat_map(|&p| (1..=p.max(1)).map(move |d| score(d, p)))
        .collect();
    thresholds.sort_by(|a, b| b.total_cmp(a));
    thresholds.dedup();
    let needed = |t: f64| -> usize {
        possible
            .iter()
            .map(|&p| {
                if p <= 1 {
                    1
                } else {
                    (1..=p).find(|&d| score(d, p) >= t - EPS).unwrap_or(p)
                }
            })
            .sum()
    };
    let minimum = thresholds.into_iter().find(|&t| needed(t) <= budget).unwrap_or(0.0);
    (average, minimum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diversity_bounds_by_hand() {
        // 2 groups of 3, employers 4 + 1 + 1: D = 2 + 1 + 1 = 4 distinct
        // slots for 2 groups of P = 3: (2, 2) distinct → 0.5 each.
        let (a, b) = diversity_bounds(&[4, 1, 1], &[3, 3]);
        assert!((a - 0.5).abs() < 1e-12 && (b - 0.5).abs() < 1e-12, "{a} {b}");
        // Enough variety: everything reachable.
        let (a, b) = diversity_bounds(&[2, 2, 2], &[3, 3]);
        assert_eq!((a, b), (1.0, 1.0));
    }
}
