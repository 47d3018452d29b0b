//! Every definition of « balanced », in one place: the soft criteria each
//! scored per group in [0, 1] (1 = as balanced as the whole promotion allows),
//! the group score, the one objective, and the hard rules' counts. The
//! search, the exact search, the bound and the report all call these
//! functions, so they cannot disagree.
//!
//! Why these definitions:
//!
//! - Each criterion compares a group **with the promotion**, not with an
//!   absolute ideal: a promotion of 70 % women is balanced when each group
//!   has about 70 % women.
//! - Each score is scale-free in [0, 1], so criteria can be averaged with
//!   weights and a school can read « 0,8 » the same way everywhere.
//! - Integer rounding is never held against a group: in a group of 5 of a
//!   half-women promotion, 2 or 3 women are both perfect.
//! - A criterion nobody filled in (or nobody in this group) is « non
//!   renseigné » and left out of the group's mean, rather than counted as
//!   balanced or unbalanced: no data is no evidence.
//! - The objective is the **worst** group's score (max–min): a casting where
//!   one group is badly off is worse than one where all are a little off,
//!   whatever the average. The mean breaks ties.
//!
//! Every aggregate is an integer (counts, sums and sums of squares of whole
//! years), so a group's score is an exact function of its members: the same
//! on every machine and whatever the order moves were made in.

use serde::{Deserialize, Serialize};

use super::instance::Instance;

/// A soft criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Gender,
    Age,
    Seniority,
    Temperament,
    Organisation,
    Wishes,
}

impl Criterion {
    pub const ALL: [Criterion; 6] = [
        Criterion::Gender,
        Criterion::Age,
        Criterion::Seniority,
        Criterion::Temperament,
        Criterion::Organisation,
        Criterion::Wishes,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// French label, as the report writes it.
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Gender => "Genre",
            Criterion::Age => "Âge",
            Criterion::Seniority => "Ancienneté",
            Criterion::Temperament => "Tempérament",
            Criterion::Organisation => "Employeurs",
            Criterion::Wishes => "Vœux",
        }
    }
}

/// Count, sum and sum of squares of whole numbers (ages, years of
/// seniority): exact, so means and spreads are reproducible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Moments {
    pub count: u32,
    pub sum: u64,
    pub sum_sq: u64,
}

impl Moments {
    pub fn add(&mut self, x: u32) {
        self.count += 1;
        self.sum += u64::from(x);
        self.sum_sq += u64::from(x) * u64::from(x);
    }

    pub fn remove(&mut self, x: u32) {
        self.count -= 1;
        self.sum -= u64::from(x);
        self.sum_sq -= u64::from(x) * u64::from(x);
    }

    pub fn with(mut self, x: Option<u32>) -> Self {
        if let Some(x) = x {
            self.add(x);
        }
        self
    }

    pub fn without(mut self, x: Option<u32>) -> Self {
        if let Some(x) = x {
            self.remove(x);
        }
        self
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / f64::from(self.count))
    }

    /// Sample standard deviation (n − 1 in the denominator, so that a small
    /// group and the whole promotion are compared without the small-sample
    /// bias); `None` below 2 values.
    pub fn sd(&self) -> Option<f64> {
        if self.count < 2 {
            return None;
        }
        let n = u128::from(self.count);
        // n·Σx² − (Σx)² is exact in integers and never negative.
        let num = n * u128::from(self.sum_sq) - u128::from(self.sum) * u128::from(self.sum);
        Some((num as f64 / (n * (n - 1)) as f64).sqrt())
    }
}

/// What the scores of one group need, all integers. Kept up to date move by
/// move by the search ([`super::tally`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    pub size: u32,
    pub women: u32,
    pub men: u32,
    pub age: Moments,
    pub seniority: Moments,
    pub temperament_known: u32,
    pub temperament_distinct: u32,
    pub organisation_known: u32,
    pub organisation_distinct: u32,
    /// Members who gave at least one wish, and those among them who wished
    /// this group's project.
    pub voters: u32,
    pub granted: u32,
    /// Pairs (person, their line manager) both in the group.
    pub manager_pairs: u32,
}

/// Gender balance: with W women and M men of known gender in the promotion
/// and, in the group, w women among k = w + m people of known gender, the
/// ideal is k·W/(W+M) women; both roundings count as perfect. The score is
/// 1 − e / e_max, where e is how many women the group is away from the
/// nearer rounding and e_max how far the worst possible count (0 or k)
/// would be. `None` when the promotion or the group has nobody of known
/// gender.
pub(crate) fn gender(w: u32, m: u32, promo_w: u32, promo_m: u32) -> Option<f64> {
    let (k, total) = (u64::from(w + m), u64::from(promo_w + promo_m));
    if k == 0 || total == 0 {
        return None;
    }
    let ideal = k * u64::from(promo_w);
    let (lo, hi) = (ideal / total, ideal.div_ceil(total));
    let w = u64::from(w);
    let e = if w < lo { lo - w } else { w.saturating_sub(hi) };
    let e_max = lo.max(k - hi);
    Some(if e_max == 0 { 1.0 } else { 1.0 - e as f64 / e_max as f64 })
}

/// Age and seniority: the group's mean and spread should be the
/// promotion's. With μ, σ the promotion's mean and standard deviation and
/// μg, σg the group's (people who gave the value):
///
/// - mean part: 1 − min(1, |μg − μ| / σ), i.e. 0 when the group's mean is a
///   whole promotion standard deviation away (a group of all the juniors);
/// - spread part: 1 − min(1, |σg − σ| / σ), i.e. 0 when the group is all of
///   one age, or twice as spread as the promotion;
///
/// score = the mean of both parts (the mean part alone with one value in the
/// group). A promotion where everybody has the same value scores 1. `None`
/// when nobody in the promotion or the group gave the value.
pub(crate) fn moments(group: Moments, promo: Moments) -> Option<f64> {
    let (Some(mean_g), Some(mean)) = (group.mean(), promo.mean()) else {
        return None;
    };
    let Some(sd) = promo.sd().filter(|&s| s > 0.0) else {
        return Some(1.0);
    };
    let close = |d: f64| 1.0 - (d / sd).min(1.0);
    let mean_part = close((mean_g - mean).abs());
    Some(match group.sd() {
        Some(sd_g) => 0.5 * mean_part + 0.5 * close((sd_g - sd).abs()),
        None => mean_part,
    })
}

/// Temperament and employer mix: d distinct values among the k members who
/// gave one, out of P = min(k, C) possible, C being the number of distinct
/// values in the promotion. Score (d − 1) / (P − 1): 1 when every member
/// differs (or every value of the promotion is present), 0 when all share
/// one; 1 when only one value was possible. Counting distinct values (rather
/// than proportions) is what a school checks by eye: « 4 employeurs pour 5
/// personnes ». `None` when nobody (in the promotion or the group) gave one.
pub(crate) fn diversity(known: u32, distinct: u32, promo_distinct: u32) -> Option<f64> {
    if known == 0 || promo_distinct == 0 {
        return None;
    }
    let possible = known.min(promo_distinct);
    Some(if possible <= 1 {
        1.0
    } else {
        f64::from(distinct.saturating_sub(1)) / f64::from(possible - 1)
    })
}

/// Wishes: the share of members who gave wishes whose wishes include the
/// group's project. `None` when the group has no project or nobody in it
/// gave wishes (those who gave none are content anywhere).
pub(crate) fn wishes(has_project: bool, voters: u32, granted: u32) -> Option<f64> {
    (has_project && voters > 0).then(|| f64::from(granted) / f64::from(voters))
}

/// The score of one criterion for group `g`.
pub(crate) fn criterion(inst: &Instance, g: usize, s: &Summary, c: Criterion) -> Option<f64> {
    let p = &inst.promo;
    match c {
        Criterion::Gender => gender(s.women, s.men, p.women, p.men),
        Criterion::Age => moments(s.age, p.age),
        Criterion::Seniority => moments(s.seniority, p.seniority),
        Criterion::Temperament => diversity(s.temperament_known, s.temperament_distinct, p.temperaments),
        Criterion::Organisation => diversity(s.organisation_known, s.organisation_distinct, p.organisations),
        Criterion::Wishes => wishes(inst.has_project.get(g).copied().unwrap_or(false), s.voters, s.granted),
    }
}

/// A group's score: the weighted mean of its scored criteria; 1 when none is
/// scored (nothing to balance).
pub(crate) fn group(inst: &Instance, g: usize, s: &Summary) -> f64 {
    let (mut total, mut weight) = (0.0, 0.0);
    for c in Criterion::ALL {
        let w = inst.weights[c.index()];
        if w > 0.0
            && let Some(x) = criterion(inst, g, s, c)
        {
            total += w * x;
            weight += w;
        }
    }
    if weight > 0.0 { total / weight } else { 1.0 }
}

/// The « lone woman, lone man » rule, precisely: a group breaks it when one
/// gender counts exactly one member while the other gender is present
/// (1 woman with 1 or more men, or 1 man with 1 or more women). People whose
/// gender is not given count for neither. So a group of only women, only
/// men, or one woman with people of unknown gender is fine.
pub fn lone_gender(women: u32, men: u32) -> bool {
    (women == 1 && men >= 1) || (men == 1 && women >= 1)
}

/// Hard-rule breaches in one group: a lone gender (1), each (person,
/// manager) pair together (1 each), a size outside the bounds (1).
pub(crate) fn violations(inst: &Instance, s: &Summary) -> u32 {
    let size = s.size as usize;
    u32::from(lone_gender(s.women, s.men)) + s.manager_pairs + u32::from(size < inst.min_size || size > inst.max_size)
}

/// Whether a criterion's score counts as met, partly met or missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Partial,
    Missed,
    NotScored,
}

/// Counted criteria (gender, mix, wishes) are met only when perfect; age and
/// seniority, continuous, are met from 0.8 (the mean within a fifth of a
/// standard deviation and a similar spread). Partly met from 0.5 (wishes:
/// anything above 0).
pub fn status(c: Criterion, score: Option<f64>) -> Status {
    let Some(s) = score else {
        return Status::NotScored;
    };
    let met = match c {
        Criterion::Age | Criterion::Seniority => 0.8,
        _ => 1.0 - 1e-9,
    };
    let partial = match c {
        Criterion::Wishes => 1e-9,
        _ => 0.5,
    };
    if s >= met {
        Status::Met
    } else if s >= partial {
        Status::Partial
    } else {
        Status::Missed
    }
}

/// The value the search maximises, compared lexicographically: fewer
/// hard-rule breaches first, then the higher worst-group score, then the
/// higher sum of group scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Objective {
    pub violations: u32,
    pub min: f64,
    pub sum: f64,
}

/// Scores closer than this are equal (they are sums of a few divisions).
pub(crate) const EPS: f64 = 1e-9;

impl Objective {
    pub fn better_than(&self, other: &Objective) -> bool {
        if self.violations != other.violations {
            return self.violations < other.violations;
        }
        if self.min > other.min + EPS {
            return true;
        }
        if self.min < other.min - EPS {
            return false;
        }
        self.sum > other.sum + EPS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_rounding_is_never_held_against_a_group() {
        // Half-women promotion, group of 5: 2 or 3 women are perfect.
        assert_eq!(gender(2, 3, 10, 10), Some(1.0));
        assert_eq!(gender(3, 2, 10, 10), Some(1.0));
        // All men: the worst.
        assert_eq!(gender(0, 5, 10, 10), Some(0.0));
        // 4 women, 1 man: one away from 3, worst possible is 2 away.
        assert_eq!(gender(4, 1, 10, 10), Some(0.5));
        assert_eq!(gender(0, 0, 10, 10), None);
        // Only women in the promotion: always balanced.
        assert_eq!(gender(4, 0, 20, 0), Some(1.0));
    }

    #[test]
    fn lone_gender_definition() {
        assert!(lone_gender(1, 1));
        assert!(lone_gender(1, 4));
        assert!(lone_gender(4, 1));
        assert!(!lone_gender(1, 0));
        assert!(!lone_gender(0, 1));
        assert!(!lone_gender(2, 2));
        assert!(!lone_gender(0, 0));
        assert!(!lone_gender(5, 0));
    }

    #[test]
    fn moments_compare_mean_and_spread() {
        let mut promo = Moments::default();
        for a in [30, 40, 50, 60] {
            promo.add(a);
        }
        let same = promo;
        assert_eq!(moments(same, promo), Some(1.0));
        let mut young = Moments::default();
        young.add(30);
        young.add(30);
        // Mean 15 years away (more than σ ≈ 12.9): mean part 0, spread 0.
        assert_eq!(moments(young, promo), Some(0.0));
        assert_eq!(moments(Moments::default(), promo), None);
        let flat = Moments::default().with(Some(40)).with(Some(40));
        assert_eq!(moments(promo, flat), Some(1.0));
    }

    #[test]
    fn diversity_against_what_is_possible() {
        assert_eq!(diversity(5, 5, 8), Some(1.0));
        assert_eq!(diversity(5, 1, 8), Some(0.0));
        assert_eq!(diversity(5, 3, 8), Some(0.5));
        // Only 2 employers in the promotion: both present is perfect.
        assert_eq!(diversity(5, 2, 2), Some(1.0));
        assert_eq!(diversity(1, 1, 4), Some(1.0));
        assert_eq!(diversity(0, 0, 4), None);
    }

    #[test]
    fn objective_order() {
        let a = Objective {
            violations: 0,
            min: 0.5,
            sum: 1.0,
        };
        let b = Objective {
            violations: 1,
            min: 0.9,
            sum: 5.0,
        };
        assert!(a.better_than(&b));
        let c = Objective { min: 0.6, ..a };
        assert!(c.better_than(&a));
        let d = Objective { sum: 2.0, ..a };
        assert!(d.better_than(&a));
        assert!(!a.better_than(&a));
    }
}
