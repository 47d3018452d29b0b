//! The groups of an assignment and their [`Summary`]s, kept up to date person
//! by person, and the summaries a move *would* give without making it: what
//! lets the search try thousands of moves per millisecond. Also used from
//! scratch by the report and the exact search, so that all three count the
//! same way.

use super::instance::{Class, Instance};
use super::score::Summary;

/// Group index of someone not in any group.
pub(crate) const NONE: usize = usize::MAX;

#[derive(Clone)]
pub(crate) struct Tally {
    pub group_of: Vec<usize>,
    pub members: Vec<Vec<usize>>,
    /// Position of each person in their group's `members`.
    pos: Vec<usize>,
    pub summaries: Vec<Summary>,
    /// `temperaments[g * T + t]`: members of g with temperament t.
    temperaments: Vec<u32>,
    organisations: Vec<u32>,
    t: usize,
    o: usize,
}

impl Tally {
    /// Nobody placed yet.
    pub fn empty(inst: &Instance) -> Self {
        let (t, o) = (inst.temperament_names.len(), inst.organisation_names.len());
        Tally {
            group_of: vec![NONE; inst.n],
            members: vec![Vec::new(); inst.k],
            pos: vec![0; inst.n],
            summaries: vec![Summary::default(); inst.k],
            temperaments: vec![0; inst.k * t],
            organisations: vec![0; inst.k * o],
            t,
            o,
        }
    }

    /// Everyone placed in `groups[i]`; a group index out of range (or
    /// [`NONE`]) leaves the person unplaced.
    pub fn from_groups(inst: &Instance, groups: &[usize]) -> Self {
        let mut tally = Tally::empty(inst);
        for (i, &g) in groups.iter().enumerate().take(inst.n) {
            if g < inst.k {
                tally.place(inst, i, g);
            }
        }
        tally
    }

    /// Pairs (x, manager) and (report, x) that x forms with the members of
    /// g, leaving out `exclude` (the person leaving g in a swap).
    pub fn links(&self, inst: &Instance, x: usize, g: usize, exclude: usize) -> u32 {
        let in_g = |y: usize| y != exclude && self.group_of[y] == g;
        let up = inst.manager[x].is_some_and(in_g);
        u32::from(up) + inst.reports[x].iter().filter(|&&r| in_g(r)).count() as u32
    }

    /// Members of g with temperament `t` / employer `o`.
    pub fn temperament_count(&self, g: usize, t: u32) -> u32 {
        self.temperaments[g * self.t + t as usize]
    }

    pub fn organisation_count(&self, g: usize, o: u32) -> u32 {
        self.organisations[g * self.o + o as usize]
    }

    /// Puts an unplaced person into group g.
    pub fn place(&mut self, inst: &Instance, i: usize, g: usize) {
        debug_assert_eq!(self.group_of[i], NONE);
        let pairs = self.links(inst, i, g, NONE);
        let s = &mut self.summaries[g];
        s.size += 1;
        match inst.class[i] {
            Class::Woman => s.women += 1,
            Class::Man => s.men += 1,
            Class::Unknown => {}
        }
        if let Some(a) = inst.age[i] {
            s.age.add(a);
        }
        if let Some(y) = inst.seniority[i] {
            s.seniority.add(y);
        }
        if let Some(t) = inst.temperament[i] {
            let c = &mut self.temperaments[g * self.t + t as usize];
            s.temperament_known += 1;
            s.temperament_distinct += u32::from(*c == 0);
            *c += 1;
        }
        if let Some(o) = inst.organisation[i] {
            let c = &mut self.organisations[g * self.o + o as usize];
            s.organisation_known += 1;
            s.organisation_distinct += u32::from(*c == 0);
            *c += 1;
        }
        s.voters += u32::from(inst.voter[i]);
        s.granted += u32::from(inst.wants(i, g));
        s.manager_pairs += pairs;
        self.group_of[i] = g;
        self.pos[i] = self.members[g].len();
        self.members[g].push(i);
    }

    /// Takes a person out of their group.
    pub fn unplace(&mut self, inst: &Instance, i: usize) {
        let g = self.group_of[i];
        debug_assert_ne!(g, NONE);
        let pairs = self.links(inst, i, g, i);
        let s = &mut self.summaries[g];
        s.size -= 1;
        match inst.class[i] {
            Class::Woman => s.women -= 1,
            Class::Man => s.men -= 1,
            Class::Unknown => {}
        }
        if let Some(a) = inst.age[i] {
            s.age.remove(a);
        }
        if let Some(y) = inst.seniority[i] {
            s.seniority.remove(y);
        }
        if let Some(t) = inst.temperament[i] {
            let c = &mut self.temperaments[g * self.t + t as usize];
            *c -= 1;
            s.temperament_known -= 1;
            s.temperament_distinct -= u32::from(*c == 0);
        }
        if let Some(o) = inst.organisation[i] {
            let c = &mut self.organisations[g * self.o + o as usize];
            *c -= 1;
            s.organisation_known -= 1;
            s.organisation_distinct -= u32::from(*c == 0);
        }
        s.voters -= u32::from(inst.voter[i]);
        s.granted -= u32::from(inst.wants(i, g));
        s.manager_pairs -= pairs;
        // Swap-remove, keeping positions right.
        let p = self.pos[i];
        self.members[g].swap_remove(p);
        if let Some(&moved) = self.members[g].get(p) {
            self.pos[moved] = p;
        }
        self.group_of[i] = NONE;
    }

    pub fn relocate(&mut self, inst: &Instance, i: usize, g: usize) {
        self.unplace(inst, i);
        self.place(inst, i, g);
    }

    /// The summary group g would have if `out` (a member of g) left and
    /// `inn` (not a member) joined — either may be absent. Nothing changes.
    pub fn changed(&self, inst: &Instance, g: usize, out: Option<usize>, inn: Option<usize>) -> Summary {
        let mut s = self.summaries[g];
        let out_t = out.and_then(|a| inst.temperament[a]);
        let out_o = out.and_then(|a| inst.organisation[a]);
        if let Some(a) = out {
            s.size -= 1;
            match inst.class[a] {
                Class::Woman => s.women -= 1,
                Class::Man => s.men -= 1,
                Class::Unknown => {}
            }
            s.age = s.age.without(inst.age[a]);
            s.seniority = s.seniority.without(inst.seniority[a]);
            if let Some(t) = out_t {
                s.temperament_known -= 1;
                s.temperament_distinct -= u32::from(self.temperaments[g * self.t + t as usize] == 1);
            }
            if let Some(o) = out_o {
                s.organisation_known -= 1;
                s.organisation_distinct -= u32::from(self.organisations[g * self.o + o as usize] == 1);
            }
            s.voters -= u32::from(inst.voter[a]);
            s.granted -= u32::from(inst.wants(a, g));
            s.manager_pairs -= self.links(inst, a, g, a);
        }
        if let Some(b) = inn {
            s.size += 1;
            match inst.class[b] {
                Class::Woman => s.women += 1,
                Class::Man => s.men += 1,
                Class::Unknown => {}
            }
            s.age = s.age.with(inst.age[b]);
            s.seniority = s.seniority.with(inst.seniority[b]);
            if let Some(t) = inst.temperament[b] {
                let left = self.temperaments[g * self.t + t as usize] - u32::from(out_t == Some(t));
                s.temperament_known += 1;
                s.temperament_distinct += u32::from(left == 0);
            }
            if let Some(o) = inst.organisation[b] {
                let left = self.organisations[g * self.o + o as usize] - u32::from(out_o == Some(o));
                s.organisation_known += 1;
                s.organisation_distinct += u32::from(left == 0);
            }
            s.voters += u32::from(inst.voter[b]);
            s.granted += u32::from(inst.wants(b, g));
            s.manager_pairs += self.links(inst, b, g, out.unwrap_or(NONE));
        }
        s
    }
}
