//! Krippendorff's αu (Krippendorff 2004, "Measuring the reliability of qualitative text
//! analysis data"), computed as DKPro Statistics computes it, for sets as coders of one
//! continuum (the text): two ([`alpha_u`]) or any number ([`alpha_u_n`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::AnnotationSet;

/// Krippendorff's αu per label and over all labels, for two sets of one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AlphaU {
    pub labels: BTreeMap<String, f64>,
    pub overall: f64,
}

/// Observed and expected disagreement of one category, as exact fractions
/// (`do_num / do_den`, `de_num / de_den`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Disagreement {
    do_num: i128,
    do_den: i128,
    de_num: i128,
    de_den: i128,
}

impl Disagreement {
    fn observed(&self) -> f64 {
        self.do_num as f64 / self.do_den as f64
    }

    fn expected(&self) -> f64 {
        if self.de_den == 0 {
            0.0
        } else {
            self.de_num as f64 / self.de_den as f64
        }
    }

    /// 1 − D_o / D_e; 0 when they are equal (no information), as DKPro defines it.
    fn alpha(&self) -> f64 {
        if self.do_num * self.de_den == self.de_num * self.do_den {
            return 0.0;
        }
        1.0 - self.observed() / self.expected()
    }
}

/// One coder's sections of the continuum `[0, len)` for a category: units (its spans, where
/// overlapping ones are merged) and the gaps of positive length between them.
/// Half-open stretches of the continuum, `(begin, end)`.
type Stretches = Vec<(i128, i128)>;

fn sections(len: usize, spans: &[(usize, usize)]) -> (Stretches, Stretches) {
    let mut sorted: Vec<(usize, usize)> = spans.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    let mut units: Vec<(usize, usize)> = Vec::new();
    for (s, e) in sorted {
        match units.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => units.push((s, e)),
        }
    }
    let mut gaps = Vec::new();
    let mut at = 0;
    for &(s, e) in &units {
        if s > at {
            gaps.push((at as i128, s as i128));
        }
        at = at.max(e);
    }
    if len > at {
        gaps.push((at as i128, len as i128));
    }
    let units = units
        .into_iter()
        .map(|(s, e)| (s as i128, e as i128))
        .collect();
    (units, gaps)
}

/// The part of D_o's numerator that coders `a` and `b` of one category give: δ² over the
/// pairs of their sections — overlapping units by their ends, a unit lying inside the other
/// coder's gap by its length; everything else 0. Each coder's units (and gaps) are disjoint
/// and sorted, so overlapping pairs come from one merge of the two lists, and the gap that
/// could hold a unit from a binary search.
fn observed_pair(a: &(Stretches, Stretches), b: &(Stretches, Stretches)) -> i128 {
    let ((ua, ga), (ub, gb)) = (a, b);
    let mut observed: i128 = 0;
    let mut j = 0;
    for &(b1, e1) in ua {
        while j < ub.len() && ub[j].1 <= b1 {
            j += 1;
        }
        let mut k = j;
        while k < ub.len() && ub[k].0 < e1 {
            let (b2, e2) = ub[k];
            if b1.max(b2) < e1.min(e2) {
                observed += (b1 - b2).pow(2) + (e1 - e2).pow(2);
            }
            k += 1;
        }
    }
    for (units, gaps) in [(ua, gb), (ub, ga)] {
        for &(s, e) in units.iter() {
            // The last gap starting at or before the unit is the only one that can hold it.
            let i = gaps.partition_point(|&(gs, _)| gs <= s);
            if i > 0 && e <= gaps[i - 1].1 {
                observed += (e - s).pow(2);
            }
        }
    }
    observed
}

/// D_o and D_e of one category for two coders over `len` characters.
#[cfg(test)]
fn disagreement(len: usize, a: &[(usize, usize)], b: &[(usize, usize)]) -> Disagreement {
    disagreement_n(len, &[a.to_vec(), b.to_vec()])
}

/// D_o and D_e of one category for R coders over `len` characters, as DKPro Statistics'
/// `KrippendorffAlphaUnitizingAgreement` computes them: D_o is 2·Σ over the coder pairs of
/// their δ², over R(R−1)L²; D_e pools every coder's units and gaps.
fn disagreement_n(len: usize, coders: &[Vec<(usize, usize)>]) -> Disagreement {
    let l = len as i128;
    let r = coders.len() as i128;
    let sections: Vec<(Stretches, Stretches)> =
        coders.iter().map(|spans| sections(len, spans)).collect();
    let mut observed: i128 = 0;
    for (i, x) in sections.iter().enumerate() {
        for y in &sections[i + 1..] {
            observed += observed_pair(x, y);
        }
    }
    // Expected: (2/L) Σ_u [(N−1)(2l³−3l²+l)/3 + l² Σ_{gaps g ≥ l} (g−l+1)] over
    // (R·L(R·L−1) − Σ_u l(l−1)), with every coder's units and gaps.
    let lengths: Vec<i128> = sections
        .iter()
        .flat_map(|(units, _)| units.iter().map(|(s, e)| e - s))
        .collect();
    let mut gap_lengths: Vec<i128> = sections
        .iter()
        .flat_map(|(_, gaps)| gaps.iter().map(|(s, e)| e - s))
        .collect();
    // Σ_{g ≥ u} (g − u + 1) = Σ_{g ≥ u} g − count·(u − 1), from sorted gaps and suffix sums.
    gap_lengths.sort_unstable();
    let mut suffix: Vec<i128> = vec![0; gap_lengths.len() + 1];
    for i in (0..gap_lengths.len()).rev() {
        suffix[i] = suffix[i + 1] + gap_lengths[i];
    }
    let n = lengths.len() as i128;
    let mut sum3: i128 = 0; // Σ (N−1)(2l³−3l²+l), divided by 3 at the end (always divisible)
    let mut sum_gaps: i128 = 0;
    for &u in &lengths {
        sum3 += (n - 1) * (2 * u.pow(3) - 3 * u.pow(2) + u);
        let from = gap_lengths.partition_point(|&g| g < u);
        let count = (gap_lengths.len() - from) as i128;
        sum_gaps += u.pow(2) * (suffix[from] - count * (u - 1));
    }
    let inner = sum3 / 3 + sum_gaps;
    let rl = r * l;
    let den = rl * (rl - 1) - lengths.iter().map(|u| u * (u - 1)).sum::<i128>();
    Disagreement {
        do_num: 2 * observed,
        do_den: (r * (r - 1) * l * l).max(1),
        de_num: 2 * inner,
        de_den: l * den,
    }
}

/// Krippendorff's αu of B with A, per label and overall, over the text's `len` characters.
/// Per label it is 1 − D_o/D_e (0 when D_o = D_e); overall 1 − ΣD_o/ΣD_e over the labels,
/// 1 when neither set has a span (they agree that nothing is there).
pub fn alpha_u(len: usize, a: &AnnotationSet, b: &AnnotationSet) -> AlphaU {
    alpha_u_n(len, &[a, b])
}

/// Krippendorff's αu of any number of sets (coders) of one text of `len` characters, as
/// [`alpha_u`] for two.
pub fn alpha_u_n(len: usize, sets: &[&AnnotationSet]) -> AlphaU {
    let labels: std::collections::BTreeSet<&str> = sets
        .iter()
        .flat_map(|s| s.spans.iter().map(|x| x.label.as_str()))
        .collect();
    let ranges = |set: &AnnotationSet, label: &str| -> Vec<(usize, usize)> {
        set.spans
            .iter()
            .filter(|s| s.label == label && s.end <= len)
            .map(|s| (s.start, s.end))
            .collect()
    };
    let mut out = AlphaU::default();
    let (mut total_do, mut total_de) = (0.0, 0.0);
    for label in labels {
        let coders: Vec<Vec<(usize, usize)>> = sets.iter().map(|s| ranges(s, label)).collect();
        let d = disagreement_n(len, &coders);
        total_do += d.observed();
        total_de += d.expected();
        out.labels.insert(label.to_owned(), d.alpha());
    }
    out.overall = if out.labels.is_empty() || total_de == 0.0 {
        1.0
    } else if total_do == total_de {
        0.0
    } else {
        1.0 - total_do / total_de
    };
    out
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::testing::sets;

    /// Krippendorff (2004, p. 254), as in DKPro Statistics' tests: a continuum of 300
    /// characters (shifted to start at 0), two coders, categories c and k.
    #[test]
    fn alpha_u_reproduces_krippendorffs_example() {
        let at = |b: usize, l: usize| (b - 150, b - 150 + l);
        let c_a = [at(225, 70), at(370, 30)];
        let c_b = [at(220, 80), at(355, 20), at(400, 20)];
        let c = disagreement(300, &c_a, &c_b);
        assert!((c.observed() - 13.0 / 900.0).abs() < 1e-12);
        assert!((c.expected() - 69179.0 / 1299825.0).abs() < 1e-12);
        assert!((c.alpha() - 0.7285989968).abs() < 1e-9);
        let k_a = [at(180, 60), at(300, 50)];
        let k = disagreement(300, &k_a, &k_a);
        assert_eq!(k.do_num, 0);
        assert!((k.expected() - 127621.0 / 2605650.0).abs() < 1e-12);
        assert_eq!(k.alpha(), 1.0);
        let overall = 1.0 - (c.observed() + k.observed()) / (c.expected() + k.expected());
        assert!((overall - 0.8586654052).abs() < 1e-9);
    }

    /// DKPro's small example: one long unit against three short ones inside it.
    #[test]
    fn alpha_u_small_example_and_the_sets_api() {
        let d = disagreement(10, &[(1, 9)], &[(2, 3), (4, 5), (6, 7)]);
        assert!((d.observed() - 0.91).abs() < 1e-12);
        assert!((d.expected() - 289.0 / 540.0).abs() < 1e-12);
        assert!((d.alpha() + 0.7003460208).abs() < 1e-9);
        // The same through two annotation sets on a 10-character text.
        let (doc, a, b) = sets("a[PLACE|bcdefghi]j", "ab[PLACE|c]d[PLACE|e]f[PLACE|g]hij");
        let alpha = alpha_u(doc.char_len(), &a, &b);
        assert!((alpha.labels["PLACE"] + 0.7003460208).abs() < 1e-9);
        assert!((alpha.overall + 0.7003460208).abs() < 1e-9);
        // Identical sets agree fully; empty sets agree that nothing is there.
        let (doc, a, b) = sets(
            "[ACTOR|الجيش] في [PLACE|مالي]",
            "[ACTOR|الجيش] في [PLACE|مالي]",
        );
        let alpha = alpha_u(doc.char_len(), &a, &b);
        assert_eq!((alpha.labels["ACTOR"], alpha.overall), (1.0, 1.0));
        let (doc, a, b) = sets("الجيش في مالي", "الجيش في مالي");
        assert_eq!(alpha_u(doc.char_len(), &a, &b).overall, 1.0);
    }

    /// The definition, pair by pair: what the sweeps must equal.
    fn naive(len: usize, a: &[(usize, usize)], b: &[(usize, usize)]) -> (i128, i128) {
        let (ua, ga) = sections(len, a);
        let (ub, gb) = sections(len, b);
        let mut observed = 0;
        for &(b1, e1) in &ua {
            for &(b2, e2) in &ub {
                if b1.max(b2) < e1.min(e2) {
                    observed += (b1 - b2).pow(2) + (e1 - e2).pow(2);
                }
            }
        }
        for (units, gaps) in [(&ua, &gb), (&ub, &ga)] {
            for &(s, e) in units.iter() {
                if gaps.iter().any(|&(gs, ge)| gs <= s && e <= ge) {
                    observed += (e - s).pow(2);
                }
            }
        }
        let lengths: Vec<i128> = ua.iter().chain(&ub).map(|(s, e)| e - s).collect();
        let gaps: Vec<i128> = ga.iter().chain(&gb).map(|(s, e)| e - s).collect();
        let sum: i128 = lengths
            .iter()
            .map(|&u| {
                u.pow(2)
                    * gaps
                        .iter()
                        .filter(|&&g| g >= u)
                        .map(|&g| g - u + 1)
                        .sum::<i128>()
            })
            .sum();
        (observed, sum)
    }

    #[test]
    fn the_sweeps_equal_the_definition_on_random_sets() {
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let len = 5 + next(120);
            let mut spans = |k: usize| -> Vec<(usize, usize)> {
                (0..k)
                    .map(|_| {
                        let s = next(len);
                        (s, (s + 1 + next(12)).min(len))
                    })
                    .collect()
            };
            let (ka, kb) = (1 + len % 7, 1 + len % 5);
            let (a, b) = (spans(ka), spans(kb));
            let d = disagreement(len, &a, &b);
            let (observed, _) = naive(len, &a, &b);
            assert_eq!(d.do_num, 2 * observed, "{len} {a:?} {b:?}");
            // D_e from the naive gap sum.
            let fast = d;
            let (ua, _) = sections(len, &a);
            let (ub, _) = sections(len, &b);
            let lengths: Vec<i128> = ua.iter().chain(&ub).map(|(s, e)| e - s).collect();
            let n = lengths.len() as i128;
            let sum3: i128 = lengths
                .iter()
                .map(|&u| (n - 1) * (2 * u.pow(3) - 3 * u.pow(2) + u))
                .sum();
            let (_, gap_sum) = naive(len, &a, &b);
            assert_eq!(fast.de_num, 2 * (sum3 / 3 + gap_sum), "{len} {a:?} {b:?}");
        }
    }
}
