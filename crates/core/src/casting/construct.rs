//! A first casting that respects the hard rules where it can: even sizes,
//! women and men spread in proportion with no lone one, then each person
//! — the most constrained first — put where they meet neither their manager
//! nor their team, preferring groups without their employer and
//! temperament. The local search starts from there.

use std::cmp::Reverse;

use super::feasibility::{GenderPlan, Plan};
use super::instance::{Class, Instance};
use super::rng::SplitMix64;
use super::score::lone_gender;
use super::tally::Tally;

/// The group of each person. `plan` is the exact gender plan, used when the
/// proportional counts cannot avoid a lone woman or man.
pub(crate) fn construct(inst: &Instance, plan: &GenderPlan, rng: &mut SplitMix64) -> Vec<usize> {
    let mut counts = proportional_counts(inst, rng);
    let lone = |c: &Plan| c.iter().any(|g| lone_gender(g[0], g[1]));
    if lone(&counts)
        && let GenderPlan::Feasible(exact) = plan
    {
        counts = exact.clone();
        rng.shuffle(&mut counts);
    }
    assign(inst, &counts, rng)
}

/// Even sizes (the extra people go to random groups), women then men
/// shared in proportion by largest remainder, then lone women or men
/// repaired by exchanging people of two genders between two groups.
fn proportional_counts(inst: &Instance, rng: &mut SplitMix64) -> Plan {
    let (n, k) = (inst.n, inst.k);
    let mut order: Vec<usize> = (0..k).collect();
    rng.shuffle(&mut order);
    let mut sizes = vec![n / k; k];
    for &g in order.iter().take(n % k) {
        sizes[g] += 1;
    }
    let p = &inst.promo;
    let women = share(p.women as usize, &sizes, n, &order);
    let room: Vec<usize> = sizes.iter().zip(&women).map(|(s, w)| s - w).collect();
    let men = share(p.men as usize, &room, p.men as usize + p.unknown as usize, &order);
    let mut counts: Plan = (0..k)
        .map(|g| [women[g] as u32, men[g] as u32, (room[g] - men[g]) as u32])
        .collect();
    repair_lone(&mut counts);
    counts
}

/// `total` shared out in proportion to `weights` (summing to `sum`) by
/// largest remainder, ties in `order`. Never more than a weight.
fn share(total: usize, weights: &[usize], sum: usize, order: &[usize]) -> Vec<usize> {
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut out: Vec<usize> = weights.iter().map(|&w| total * w / sum).collect();
    let mut left = total - out.iter().sum::<usize>();
    let mut by_remainder: Vec<usize> = order.to_vec();
    by_remainder.sort_by_key(|&g| Reverse((total * weights[g]) % sum));
    for &g in &by_remainder {
        if left == 0 {
            break;
        }
        if out[g] < weights[g] {
            out[g] += 1;
            left -= 1;
        }
    }
    out
}

/// Exchanges one person of one class for one of another between two groups
/// while that lowers the number of groups with a lone woman or man (sizes
/// never change). Bounded: at most one pass per group and class pair.
fn repair_lone(counts: &mut Plan) {
    let k = counts.len();
    let lone_in = |c: &[u32; 3]| u32::from(lone_gender(c[0], c[1]));
    for _ in 0..(4 * k + 16) {
        let total: u32 = counts.iter().map(lone_in).sum();
        if total == 0 {
            return;
        }
        let mut best: Option<(u32, usize, usize, usize, usize)> = None;
        for g in (0..k).filter(|&g| lone_in(&counts[g]) == 1) {
            for h in (0..k).filter(|&h| h != g) {
                for x in 0..3 {
                    for y in (0..3).filter(|&y| y != x) {
                        if counts[g][x] == 0 || counts[h][y] == 0 {
                            continue;
                        }
                        let (mut cg, mut ch) = (counts[g], counts[h]);
                        cg[x] -= 1;
                        cg[y] += 1;
                        ch[y] -= 1;
                        ch[x] += 1;
                        let after = total - lone_in(&counts[g]) - lone_in(&counts[h]) + lone_in(&cg) + lone_in(&ch);
                        if after < total && best.is_none_or(|b| after < b.0) {
                            best = Some((after, g, h, x, y));
                        }
                    }
                }
            }
        }
        let Some((_, g, h, x, y)) = best else {
            return;
        };
        counts[g][x] -= 1;
        counts[g][y] += 1;
        counts[h][y] -= 1;
        counts[h][x] += 1;
    }
}

/// Places everyone along the class counts: people with the most manager
/// links first, each into the group (with room for their class) where they
/// meet the fewest of their manager and team, then the fewest of their
/// employer, then of their temperament, then with the most room left.
fn assign(inst: &Instance, counts: &Plan, rng: &mut SplitMix64) -> Vec<usize> {
    let k = inst.k;
    let mut order: Vec<usize> = (0..inst.n).collect();
    rng.shuffle(&mut order);
    order.sort_by_key(|&i| Reverse(inst.reports[i].len() + usize::from(inst.manager[i].is_some())));
    let rank: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
    let mut left = counts.clone();
    let mut tally = Tally::empty(inst);
    for i in order {
        let c = match inst.class[i] {
            Class::Woman => 0,
            Class::Man => 1,
            Class::Unknown => 2,
        };
        let key = |g: usize| {
            (
                tally.links(inst, i, g, usize::MAX),
                inst.organisation[i].map_or(0, |o| tally.organisation_count(g, o)),
                inst.temperament[i].map_or(0, |t| tally.temperament_count(g, t)),
                Reverse(left[g][c]),
                rank[g],
            )
        };
        let g = (0..k)
            .filter(|&g| left[g][c] > 0)
            .min_by_key(|&g| key(g))
            // Not reached: the counts add up to the people of each class.
            .unwrap_or_else(|| (0..k).min_by_key(|&g| tally.summaries[g].size).unwrap_or(0));
        left[g][c] = left[g][c].saturating_sub(1);
        tally.place(inst, i, g);
    }
    tally.group_of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_by_largest_remainder() {
        // 5 among weights 3, 3, 4 of 10: 1.5, 1.5, 2 → the first tie wins.
        assert_eq!(share(5, &[3, 3, 4], 10, &[0, 1, 2]), vec![2, 1, 2]);
        assert_eq!(share(5, &[3, 3, 4], 10, &[1, 0, 2]), vec![1, 2, 2]);
        assert_eq!(share(0, &[3, 3], 6, &[0, 1]), vec![0, 0]);
        assert_eq!(share(3, &[1, 1, 1], 0, &[0, 1, 2]), vec![0, 0, 0]);
    }
}
