//! The search: seeded constructions, each improved by local search focused
//! on the group that decides the objective (a group breaking a hard rule,
//! else the worst one) — moves of one person, swaps of two, and, when groups
//! carry projects, two groups exchanging projects — then on any group to
//! raise the mean, with random kicks when stuck (iterated local search).
//! Moves are judged on the summaries they would give ([`Tally::changed`]),
//! in constant time, before one is made.
//!
//! Deterministic: the only randomness is a [`SplitMix64`] seeded from
//! `Params::seed`, every loop runs in index order, and the budget counts
//! evaluated moves, not time.

use super::construct::construct;
use super::feasibility::GenderPlan;
use super::instance::Instance;
use super::model::Effort;
use super::rng::SplitMix64;
use super::score::{self, EPS, Objective, Summary};
use super::tally::{NONE, Tally};

/// The best casting found over all restarts, and its objective.
pub(crate) fn search(inst: &Instance, plan: &GenderPlan, effort: &Effort) -> (Vec<usize>, Objective) {
    let mut best: Option<(Vec<usize>, Objective)> = None;
    for restart in 0..effort.restarts.max(1) {
        // Distinct, well-mixed streams per restart from the one seed.
        let mut rng = SplitMix64::new(
            inst.params
                .seed
                .wrapping_add(u64::from(restart).wrapping_mul(0xD1B5_4A32_D192_ED03)),
        );
        let start = construct(inst, plan, &mut rng);
        let found = improve(inst, start, &mut rng, effort);
        if best.as_ref().is_none_or(|b| found.1.better_than(&b.1)) {
            best = Some(found);
        }
    }
    best.unwrap_or_else(|| (vec![0; inst.n], worst()))
}

fn worst() -> Objective {
    Objective {
        violations: u32::MAX,
        min: f64::NEG_INFINITY,
        sum: f64::NEG_INFINITY,
    }
}

/// Iterated local search from `start`: descend, then kick the best casting
/// found and descend again, until `effort.patience` kicks in a row bring
/// nothing or the evaluation budget is spent.
fn improve(inst: &Instance, start: Vec<usize>, rng: &mut SplitMix64, effort: &Effort) -> (Vec<usize>, Objective) {
    let mut s = Search::new(inst, &start, effort.evaluations);
    s.descend();
    let mut best = (s.tally.group_of.clone(), s.obj);
    let mut stall = 0;
    while stall < effort.patience && !s.exhausted() {
        s.kick(rng);
        s.descend();
        if s.obj.better_than(&best.1) {
            best = (s.tally.group_of.clone(), s.obj);
            stall = 0;
        } else {
            stall += 1;
            if best.1.better_than(&s.obj) {
                // Worse: go back to the best (an equal casting is kept, to
                // wander along plateaus).
                s.reset(&best.0);
            }
        }
    }
    best
}

/// A move: one person to another group, two people exchanged, or two
/// groups exchanging their projects (all their members: the only way to
/// give a whole well-balanced group the project its members wished).
#[derive(Debug, Clone, Copy)]
enum Move {
    Shift { who: usize, to: usize },
    Swap { a: usize, b: usize },
    Exchange { g: usize, h: usize },
}

struct Search<'a> {
    inst: &'a Instance<'a>,
    tally: Tally,
    scores: Vec<f64>,
    violations: Vec<u32>,
    obj: Objective,
    /// The (at most) three lowest-scoring groups, lowest first: the worst
    /// group other than the two a move touches is among them.
    lowest: [usize; 3],
    evaluations: u64,
    budget: u64,
}

impl<'a> Search<'a> {
    fn new(inst: &'a Instance<'a>, groups: &[usize], budget: u64) -> Self {
        let mut s = Search {
            inst,
            tally: Tally::from_groups(inst, groups),
            scores: vec![0.0; inst.k],
            violations: vec![0; inst.k],
            obj: worst(),
            lowest: [NONE; 3],
            evaluations: 0,
            budget,
        };
        for g in 0..inst.k {
            s.rescore(g);
        }
        s.refresh();
        s
    }

    fn reset(&mut self, groups: &[usize]) {
        self.tally = Tally::from_groups(self.inst, groups);
        for g in 0..self.inst.k {
            self.rescore(g);
        }
        self.refresh();
    }

    fn exhausted(&self) -> bool {
        self.evaluations >= self.budget
    }

    fn rescore(&mut self, g: usize) {
        let s = &self.tally.summaries[g];
        self.scores[g] = score::group(self.inst, g, s);
        self.violations[g] = score::violations(self.inst, s);
    }

    /// Recomputes the objective and the lowest groups from the scores, in
    /// index order (so sums are reproducible).
    fn refresh(&mut self) {
        let mut lowest = [NONE; 3];
        let mut sum = 0.0;
        for g in 0..self.inst.k {
            sum += self.scores[g];
            let mut cur = g;
            for slot in lowest.iter_mut() {
                if *slot == NONE {
                    *slot = cur;
                    break;
                }
                if self.scores[cur] < self.scores[*slot] {
                    std::mem::swap(slot, &mut cur);
                }
            }
        }
        self.lowest = lowest;
        self.obj = Objective {
            violations: self.violations.iter().sum(),
            min: if lowest[0] == NONE { 1.0 } else { self.scores[lowest[0]] },
            sum,
        };
    }

    /// The objective after a move, without making it (`None` when the move
    /// would leave the size bounds).
    fn try_move(&mut self, mv: Move) -> Option<Objective> {
        let (g, h, sg, sh) = self.preview(mv)?;
        self.evaluations += 1;
        let inst = self.inst;
        let (score_g, score_h) = (score::group(inst, g, &sg), score::group(inst, h, &sh));
        let others = self
            .lowest
            .iter()
            .find(|&&x| x != NONE && x != g && x != h)
            .map_or(f64::INFINITY, |&x| self.scores[x]);
        Some(Objective {
            violations: self.obj.violations - self.violations[g] - self.violations[h]
                + score::violations(inst, &sg)
                + score::violations(inst, &sh),
            min: others.min(score_g).min(score_h),
            sum: self.obj.sum - self.scores[g] - self.scores[h] + score_g + score_h,
        })
    }

    /// The two groups a move touches and their summaries after it.
    fn preview(&self, mv: Move) -> Option<(usize, usize, Summary, Summary)> {
        let (inst, t) = (self.inst, &self.tally);
        match mv {
            Move::Shift { who, to } => {
                let from = t.group_of[who];
                let (size_from, size_to) = (t.members[from].len(), t.members[to].len());
                if from == to || size_from <= inst.min_size || size_to >= inst.max_size {
                    return None;
                }
                Some((
                    from,
                    to,
                    t.changed(inst, from, Some(who), None),
                    t.changed(inst, to, None, Some(who)),
                ))
            }
            Move::Swap { a, b } => {
                let (g, h) = (t.group_of[a], t.group_of[b]);
                if g == h {
                    return None;
                }
                Some((
                    g,
                    h,
                    t.changed(inst, g, Some(a), Some(b)),
                    t.changed(inst, h, Some(b), Some(a)),
                ))
            }
            Move::Exchange { g, h } => {
                if g == h {
                    return None;
                }
                // Same people, same everything but the wishes granted.
                let granted = |members: &[usize], project: usize| {
                    members.iter().filter(|&&i| inst.wants(i, project)).count() as u32
                };
                let mut sg = t.summaries[h];
                sg.granted = granted(&t.members[h], g);
                let mut sh = t.summaries[g];
                sh.granted = granted(&t.members[g], h);
                Some((g, h, sg, sh))
            }
        }
    }

    fn apply(&mut self, mv: Move) {
        let expected = if cfg!(debug_assertions) { self.preview(mv) } else { None };
        let (g, h) = match mv {
            Move::Shift { who, to } => {
                let from = self.tally.group_of[who];
                self.tally.relocate(self.inst, who, to);
                (from, to)
            }
            Move::Swap { a, b } => {
                let (g, h) = (self.tally.group_of[a], self.tally.group_of[b]);
                self.tally.relocate(self.inst, a, h);
                self.tally.relocate(self.inst, b, g);
                (g, h)
            }
            Move::Exchange { g, h } => {
                let (from_g, from_h) = (self.tally.members[g].clone(), self.tally.members[h].clone());
                for i in from_g {
                    self.tally.relocate(self.inst, i, h);
                }
                for i in from_h {
                    self.tally.relocate(self.inst, i, g);
                }
                (g, h)
            }
        };
        if let Some((_, _, sg, sh)) = expected {
            // The preview and the real move must agree, or the search
            // optimises something else than what the report shows.
            debug_assert_eq!(sg, self.tally.summaries[g]);
            debug_assert_eq!(sh, self.tally.summaries[h]);
        }
        self.rescore(g);
        self.rescore(h);
        self.refresh();
    }

    /// Improving moves until none is left or the budget is spent.
    fn descend(&mut self) {
        while !self.exhausted() && (self.focused_step() || self.global_step()) {}
    }

    /// The best move touching the group that decides the objective (the
    /// first group breaking a hard rule, else each group at the minimum
    /// score in turn); made if it improves the objective.
    fn focused_step(&mut self) -> bool {
        let targets: Vec<usize> = if self.obj.violations > 0 {
            (0..self.inst.k).filter(|&g| self.violations[g] > 0).collect()
        } else {
            let min = self.obj.min;
            (0..self.inst.k).filter(|&g| self.scores[g] <= min + EPS).collect()
        };
        for g in targets {
            if let Some(mv) = self.best_move_around(g) {
                self.apply(mv);
                return true;
            }
        }
        false
    }

    fn best_move_around(&mut self, g: usize) -> Option<Move> {
        let k = self.inst.k;
        let mut best: Option<(Objective, Move)> = None;
        let mut consider = |s: &mut Self, mv: Move| {
            if let Some(obj) = s.try_move(mv)
                && obj.better_than(best.as_ref().map_or(&s.obj, |b| &b.0))
            {
                best = Some((obj, mv));
            }
        };
        let members = self.tally.members[g].clone();
        let labelled = self.inst.has_project.iter().any(|&p| p);
        for h in (0..k).filter(|&h| h != g) {
            if labelled {
                consider(self, Move::Exchange { g, h });
            }
            let others = self.tally.members[h].clone();
            for &a in &members {
                consider(self, Move::Shift { who: a, to: h });
                for &b in &others {
                    consider(self, Move::Swap { a, b });
                }
            }
            for &b in &others {
                consider(self, Move::Shift { who: b, to: g });
            }
        }
        best.map(|b| b.1)
    }

    /// The first improving move anywhere (people in index order): raises
    /// the sum when the worst group cannot be helped directly.
    fn global_step(&mut self) -> bool {
        let n = self.inst.n;
        for a in 0..n {
            for to in 0..self.inst.k {
                if self
                    .try_move(Move::Shift { who: a, to })
                    .is_some_and(|o| o.better_than(&self.obj))
                {
                    self.apply(Move::Shift { who: a, to });
                    return true;
                }
            }
            for b in a + 1..n {
                if self.exhausted() {
                    return false;
                }
                if self
                    .try_move(Move::Swap { a, b })
                    .is_some_and(|o| o.better_than(&self.obj))
                {
                    self.apply(Move::Swap { a, b });
                    return true;
                }
            }
        }
        false
    }

    /// Two or three random swaps of people of the same gender class (which
    /// keeps every group's gender counts, hence the gender rule).
    fn kick(&mut self, rng: &mut SplitMix64) {
        let n = self.inst.n;
        if n < 2 || self.inst.k < 2 {
            return;
        }
        let swaps = 2 + rng.below(2);
        for _ in 0..swaps {
            for _attempt in 0..20 {
                let a = rng.below(n);
                let b = rng.below(n);
                // Same gender class: every group keeps its gender counts.
                if self.tally.group_of[a] != self.tally.group_of[b] && self.inst.class[a] == self.inst.class[b] {
                    self.apply(Move::Swap { a, b });
                    break;
                }
            }
        }
    }
}
