//! The people and parameters turned into small integers once, so that the
//! search compares codes instead of strings: categories are numbered in the
//! order of their folded spelling (never in a hash map's order), managers
//! become indices, wishes a people × groups table.

use std::collections::BTreeMap;

use maillage_domain::text::fold;

use super::model::{Gender, Params, Person};
use super::score::{Criterion, Moments};

/// Gender class of a person, as the hard rule and the balance see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    Woman,
    Man,
    Unknown,
}

/// The promotion as a whole: what each group is compared with.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Promo {
    pub women: u32,
    pub men: u32,
    pub unknown: u32,
    pub age: Moments,
    pub seniority: Moments,
    /// Distinct temperaments / employers given in the promotion.
    pub temperaments: u32,
    pub organisations: u32,
    /// People who gave at least one wish.
    pub voters: u32,
}

pub(crate) struct Instance<'a> {
    pub people: &'a [Person],
    pub params: &'a Params,
    pub n: usize,
    /// Number of groups K.
    pub k: usize,
    pub min_size: usize,
    pub max_size: usize,
    pub class: Vec<Class>,
    pub age: Vec<Option<u32>>,
    pub seniority: Vec<Option<u32>>,
    pub temperament: Vec<Option<u32>>,
    /// Display spelling of each temperament code (the first one met).
    pub temperament_names: Vec<String>,
    pub organisation: Vec<Option<u32>>,
    pub organisation_names: Vec<String>,
    /// Index of the line manager, when they are in the promotion (and not
    /// the person themself).
    pub manager: Vec<Option<usize>>,
    /// Inverse of `manager`: the people each one manages, in input order.
    pub reports: Vec<Vec<usize>>,
    pub voter: Vec<bool>,
    /// `wants[i * k + g]`: person i wished group g's project.
    pub wants: Vec<bool>,
    pub has_project: Vec<bool>,
    pub promo: Promo,
    /// Sanitised weights, indexed by [`Criterion::index`].
    pub weights: [f64; 6],
}

impl<'a> Instance<'a> {
    pub fn new(people: &'a [Person], params: &'a Params) -> Self {
        let n = people.len();
        let k = params.groups;
        let (min_size, max_size) = params.size_bounds(n);

        let class: Vec<Class> = people
            .iter()
            .map(|p| match p.gender {
                Some(Gender::Femme) => Class::Woman,
                Some(Gender::Homme) => Class::Man,
                None => Class::Unknown,
            })
            .collect();
        let (temperament, temperament_names) = categories(people.iter().map(|p| p.temperament.as_deref()));
        let (organisation, organisation_names) = categories(people.iter().map(|p| p.organisation.as_deref()));

        // The first person with an id wins; the readers reject duplicates.
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, p) in people.iter().enumerate() {
            index.entry(p.id.trim()).or_insert(i);
        }
        let manager: Vec<Option<usize>> = people
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let m = p.manager_id.as_deref().map(str::trim).filter(|m| !m.is_empty())?;
                index.get(m).copied().filter(|&j| j != i)
            })
            .collect();
        let mut reports = vec![Vec::new(); n];
        for (i, m) in manager.iter().enumerate() {
            if let Some(m) = *m {
                reports[m].push(i);
            }
        }

        let projects: Vec<Option<String>> = (0..k).map(|g| params.project(g).map(fold)).collect();
        let has_project: Vec<bool> = projects.iter().map(Option::is_some).collect();
        let mut voter = Vec::with_capacity(n);
        let mut wants = vec![false; n * k];
        for (i, p) in people.iter().enumerate() {
            let wishes: Vec<String> = p.wishes.iter().map(|w| fold(w)).filter(|w| !w.is_empty()).collect();
            voter.push(!wishes.is_empty());
            for (g, project) in projects.iter().enumerate() {
                if let Some(project) = project {
                    wants[i * k + g] = wishes.contains(project);
                }
            }
        }

        let mut promo = Promo::default();
        for i in 0..n {
            match class[i] {
                Class::Woman => promo.women += 1,
                Class::Man => promo.men += 1,
                Class::Unknown => promo.unknown += 1,
            }
            if let Some(a) = people[i].age {
                promo.age.add(a);
            }
            if let Some(s) = people[i].seniority_years {
                promo.seniority.add(s);
            }
            promo.voters += u32::from(voter[i]);
        }
        promo.temperaments = temperament_names.len() as u32;
        promo.organisations = organisation_names.len() as u32;

        let w = &params.weights;
        let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
        let mut weights = [0.0; 6];
        for c in Criterion::ALL {
            weights[c.index()] = clean(match c {
                Criterion::Gender => w.gender,
                Criterion::Age => w.age,
                Criterion::Seniority => w.seniority,
                Criterion::Temperament => w.temperament,
                Criterion::Organisation => w.organisation,
                Criterion::Wishes => w.wishes,
            });
        }

        Instance {
            people,
            params,
            n,
            k,
            min_size,
            max_size,
            class,
            age: people.iter().map(|p| p.age).collect(),
            seniority: people.iter().map(|p| p.seniority_years).collect(),
            temperament,
            temperament_names,
            organisation,
            organisation_names,
            manager,
            reports,
            voter,
            wants,
            has_project,
            promo,
            weights,
        }
    }

    pub fn wants(&self, i: usize, g: usize) -> bool {
        self.wants[i * self.k + g]
    }

    /// Number of people with a line manager in the promotion.
    pub fn managed(&self) -> usize {
        self.manager.iter().filter(|m| m.is_some()).count()
    }
}

/// Numbers the distinct folded values (blank = none) in folded order.
fn categories<'p>(values: impl Iterator<Item = Option<&'p str>> + Clone) -> (Vec<Option<u32>>, Vec<String>) {
    let mut codes: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for v in values.clone().flatten() {
        let key = fold(v);
        if !key.is_empty() {
            codes.entry(key).or_insert((0, v.trim().to_owned()));
        }
    }
    let mut names = Vec::with_capacity(codes.len());
    for (code, (c, name)) in codes.values_mut().enumerate() {
        *c = code as u32;
        names.push(name.clone());
    }
    let coded = values
        .map(|v| {
            let key = fold(v?);
            codes.get(&key).map(|(c, _)| *c)
        })
        .collect();
    (coded, names)
}
