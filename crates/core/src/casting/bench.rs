//! The casting benchmark (`maillage bench-data casting`, hidden): quality
//! against the exact optimum on small synthetic promotions, against an upper
//! bound on large ones, and time for 40 people into 6 groups and 200 into
//! 40. A benchmark, not a test: run it on a quiet machine, in release.

use std::time::{Duration, Instant};

use super::model::{Gender, Params, Person};
use super::rng::SplitMix64;
use super::{exhaustive, solve};

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Seed of the synthetic promotions (the search uses its own seeds).
    pub seed: u64,
    /// Small promotions per shape compared with the exact optimum.
    pub small_instances: usize,
    /// Large promotions per shape compared with the bound.
    pub large_instances: usize,
    /// Timed runs per shape (the median is reported).
    pub timing_runs: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            small_instances: 10,
            large_instances: 5,
            timing_runs: 7,
        }
    }
}

/// Small shapes (people, groups) compared with the exhaustive optimum.
pub const SMALL: [(usize, usize); 4] = [(8, 2), (10, 3), (12, 3), (12, 4)];
/// Large shapes compared with the upper bound, and timed.
pub const LARGE: [(usize, usize); 3] = [(40, 6), (100, 16), (200, 40)];
pub const TIMED: [(usize, usize); 2] = [(40, 6), (200, 40)];

#[derive(Debug, Clone)]
pub struct SmallRow {
    pub people: usize,
    pub groups: usize,
    pub instances: usize,
    /// Instances where a casting respecting the hard rules exists.
    pub feasible: usize,
    /// Of those, where the search found one too, and where it reached the
    /// optimum's worst-group score.
    pub solved: usize,
    pub optimal: usize,
    /// found / optimum of the worst-group score: mean and lowest.
    pub mean_ratio: f64,
    pub worst_ratio: f64,
    /// Infeasible instances the search also declared infeasible.
    pub agreed_infeasible: usize,
    /// Instances where the exhaustive search found no casting but the
    /// search returned one: a bug in one of them; must stay 0.
    pub disagreed: usize,
    pub search_ms: f64,
    pub exhaustive_ms: f64,
}

#[derive(Debug, Clone)]
pub struct LargeRow {
    pub people: usize,
    pub groups: usize,
    pub instances: usize,
    pub solved: usize,
    /// Mean worst-group score: found, bound, found / bound (mean, lowest),
    /// and the construction alone (no local search) for comparison.
    pub found: f64,
    pub bound: f64,
    pub mean_ratio: f64,
    pub worst_ratio: f64,
    pub construction: f64,
}

#[derive(Debug, Clone)]
pub struct TimingRow {
    pub people: usize,
    pub groups: usize,
    pub runs: usize,
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
    pub min_score: f64,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub config: Config,
    pub small: Vec<SmallRow>,
    pub large: Vec<LargeRow>,
    pub timing: Vec<TimingRow>,
}

/// A synthetic promotion of `n` people: employers of uneven sizes (like the
/// communautés de communes of a cycle), about 55 % women, ages 27 to 63,
/// seniority following age, four temperaments, a few line managers inside
/// the promotion (same employer). `complete = false` leaves some values
/// out, as in real files; `projects` > 0 gives everyone one or two wishes
/// among that many projects (`P1`, `P2`…).
pub fn synthetic(n: usize, seed: u64, complete: bool, projects: usize) -> Vec<Person> {
    let mut rng = SplitMix64::new(seed);
    let employers = (n / 8).clamp(3, 30);
    // Zipf-like weights: a few large employers, many small ones.
    let weights: Vec<f64> = (0..employers).map(|j| 1.0 / (j as f64 + 1.0).powf(0.8)).collect();
    let total: f64 = weights.iter().sum();
    const TEMPERAMENTS: [&str; 4] = ["rouge", "jaune", "vert", "bleu"];
    let mut people: Vec<Person> = Vec::with_capacity(n);
    let mut by_employer: Vec<Vec<usize>> = vec![Vec::new(); employers];
    for i in 0..n {
        let mut pick = rng.unit() * total;
        let mut employer = employers - 1;
        for (j, w) in weights.iter().enumerate() {
            if pick < *w {
                employer = j;
                break;
            }
            pick -= w;
        }
        let missing = |rng: &mut SplitMix64, share: f64| !complete && rng.unit() < share;
        let age = 27 + ((rng.unit() + rng.unit() + rng.unit()) / 3.0 * 36.0) as u32;
        let seniority = age.saturating_sub(24 + rng.below(10) as u32);
        let mut p = Person::new(format!("p{}", i + 1));
        p.gender = (!missing(&mut rng, 0.03)).then(|| {
            if rng.unit() < 0.55 {
                Gender::Femme
            } else {
                Gender::Homme
            }
        });
        p.age = (!missing(&mut rng, 0.1)).then_some(age);
        p.seniority_years = (!missing(&mut rng, 0.1)).then_some(seniority);
        p.temperament = (!missing(&mut rng, 0.25)).then(|| TEMPERAMENTS[rng.below(4)].to_owned());
        p.organisation = (!missing(&mut rng, 0.02)).then(|| format!("Employeur {}", employer + 1));
        // About 8 % report to someone earlier of the same employer: no cycles.
        if rng.unit() < 0.08
            && let Some(&m) = by_employer[employer].get(rng.below(by_employer[employer].len().max(1)))
        {
            p.manager_id = Some(people[m].id.clone());
        }
        if projects > 0 && !missing(&mut rng, 0.3) {
            let first = rng.below(projects);
            p.wishes.push(format!("P{}", first + 1));
            if projects > 1 && rng.unit() < 0.5 {
                let second = (first + 1 + rng.below(projects - 1)) % projects;
                p.wishes.push(format!("P{}", second + 1));
            }
        }
        by_employer[employer].push(i);
        people.push(p);
    }
    people
}

fn params_for(groups: usize, seed: u64, projects: bool) -> Params {
    let mut params = Params::new(groups);
    params.seed = seed;
    if projects {
        params.projects = (1..=groups).map(|j| format!("P{j}")).collect();
    }
    params
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the whole benchmark.
pub fn run(config: &Config) -> Report {
    let mut small = Vec::new();
    for (shape, &(n, k)) in SMALL.iter().enumerate() {
        let mut row = SmallRow {
            people: n,
            groups: k,
            instances: config.small_instances,
            feasible: 0,
            solved: 0,
            optimal: 0,
            mean_ratio: 0.0,
            worst_ratio: 1.0,
            agreed_infeasible: 0,
            disagreed: 0,
            search_ms: 0.0,
            exhaustive_ms: 0.0,
        };
        let mut ratios = Vec::new();
        for j in 0..config.small_instances {
            let seed = config.seed.wrapping_mul(1000).wrapping_add((shape * 100 + j) as u64);
            // Every other instance has projects and wishes (labelled groups).
            let projects = j % 2 == 1;
            let people = synthetic(n, seed, false, if projects { k } else { 0 });
            let params = params_for(k, seed, projects);
            let t = Instant::now();
            let exact = exhaustive::optimum(&people, &params);
            row.exhaustive_ms += ms(t.elapsed());
            let t = Instant::now();
            let found = solve(&people, &params);
            row.search_ms += ms(t.elapsed());
            match (exact, found) {
                (Some(opt), Ok(sol)) => {
                    row.feasible += 1;
                    row.solved += 1;
                    let got = sol.report.min_score.unwrap_or(0.0);
                    let ratio = if opt.min_score > 0.0 { got / opt.min_score } else { 1.0 };
                    if got >= opt.min_score - 1e-9 {
                        row.optimal += 1;
                    }
                    ratios.push(ratio.min(1.0));
                }
                (Some(_), Err(_)) => {
                    row.feasible += 1;
                    ratios.push(0.0);
                }
                (None, Err(_)) => row.agreed_infeasible += 1,
                // The search never returns a casting breaking a rule, so this
                // would be a bug in one of the two.
                (None, Ok(_)) => row.disagreed += 1,
            }
        }
        if !ratios.is_empty() {
            row.mean_ratio = ratios.iter().sum::<f64>() / ratios.len() as f64;
            row.worst_ratio = ratios.iter().copied().fold(1.0, f64::min);
        }
        row.search_ms /= config.small_instances.max(1) as f64;
        row.exhaustive_ms /= config.small_instances.max(1) as f64;
        small.push(row);
    }

    let mut large = Vec::new();
    for (shape, &(n, k)) in LARGE.iter().enumerate() {
        let mut row = LargeRow {
            people: n,
            groups: k,
            instances: config.large_instances,
            solved: 0,
            found: 0.0,
            bound: 0.0,
            mean_ratio: 0.0,
            worst_ratio: 1.0,
            construction: 0.0,
        };
        for j in 0..config.large_instances {
            let seed = config
                .seed
                .wrapping_mul(1000)
                .wrapping_add((500 + shape * 100 + j) as u64);
            let people = synthetic(n, seed, true, 0);
            let params = params_for(k, seed, false);
            let bound = exhaustive::upper_bound(&people, &params).unwrap_or(1.0);
            let Ok(sol) = solve(&people, &params) else {
                continue;
            };
            row.solved += 1;
            let got = sol.report.min_score.unwrap_or(0.0);
            row.found += got;
            row.bound += bound;
            let ratio = if bound > 0.0 { got / bound } else { 1.0 };
            row.mean_ratio += ratio;
            row.worst_ratio = row.worst_ratio.min(ratio);
            // The construction alone: no local search at all.
            let mut quick = params.clone();
            quick.effort.restarts = 1;
            quick.effort.evaluations = 0;
            quick.effort.patience = 0;
            if let Ok(first) = solve(&people, &quick) {
                row.construction += first.report.min_score.unwrap_or(0.0);
            }
        }
        let solved = row.solved.max(1) as f64;
        row.found /= solved;
        row.bound /= solved;
        row.mean_ratio /= solved;
        row.construction /= solved;
        large.push(row);
    }

    let mut timing = Vec::new();
    for &(n, k) in TIMED.iter() {
        let seed = config.seed.wrapping_mul(1000).wrapping_add(900 + n as u64);
        let people = synthetic(n, seed, false, 0);
        let params = params_for(k, seed, false);
        let mut times = Vec::with_capacity(config.timing_runs);
        let mut min_score = 0.0;
        for _ in 0..config.timing_runs.max(1) {
            let t = Instant::now();
            let result = solve(&people, &params);
            times.push(t.elapsed());
            min_score = result.ok().and_then(|s| s.report.min_score).unwrap_or(f64::NAN);
        }
        times.sort();
        timing.push(TimingRow {
            people: n,
            groups: k,
            runs: times.len(),
            median: times[times.len() / 2],
            min: times[0],
            max: times[times.len() - 1],
            min_score,
        });
    }
    Report {
        config: config.clone(),
        small,
        large,
        timing,
    }
}

impl Report {
    /// Markdown tables, as pasted into `docs/BENCHMARKS.md`.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let c = &self.config;
        out.push_str(&format!(
            "Synthetic promotions, seed {}; search with the default effort (4 restarts, \
             400,000 evaluations and 60 kicks without progress at most per restart).\n\n",
            c.seed
        ));
        out.push_str("### Against the exact optimum (exhaustive search)\n\n");
        out.push_str(
            "| people → groups | instances | feasible | search agrees « impossible » | optimum reached | \
             found / optimum (mean) | (lowest) | disagreements | search (mean) | exhaustive (mean) |\n",
        );
        out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for r in &self.small {
            out.push_str(&format!(
                "| {} → {} | {} | {} | {} / {} | {} / {} | {:.4} | {:.4} | {} | {:.1} ms | {:.1} ms |\n",
                r.people,
                r.groups,
                r.instances,
                r.feasible,
                r.agreed_infeasible,
                r.instances - r.feasible,
                r.optimal,
                r.feasible,
                r.mean_ratio,
                r.worst_ratio,
                r.disagreed,
                r.search_ms,
                r.exhaustive_ms
            ));
        }
        out.push_str("\n### Against the upper bound (complete data, default sizes)\n\n");
        out.push_str(
            "| people → groups | instances | worst group found (mean) | upper bound (mean) | found / bound (mean) | \
             (lowest) | construction alone (mean) |\n",
        );
        out.push_str("|---|--:|--:|--:|--:|--:|--:|\n");
        for r in &self.large {
            out.push_str(&format!(
                "| {} → {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} |\n",
                r.people, r.groups, r.solved, r.found, r.bound, r.mean_ratio, r.worst_ratio, r.construction
            ));
        }
        out.push_str("\n### Time (one `solve`, median of the runs)\n\n");
        out.push_str("| people → groups | runs | median | fastest | slowest | worst group |\n");
        out.push_str("|---|--:|--:|--:|--:|--:|\n");
        for r in &self.timing {
            out.push_str(&format!(
                "| {} → {} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.4} |\n",
                r.people,
                r.groups,
                r.runs,
                ms(r.median),
                ms(r.min),
                ms(r.max),
                r.min_score
            ));
        }
        out
    }
}
