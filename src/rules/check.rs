//! Whole-file checks after compilation: an evaluation order without cycles between tracks, and
//! warnings for a higher tier that asks less than a lower one.

use std::cmp::Ordering;

use super::exact::Ratio;
use super::metric::Metric;
use super::model::{Node, Op, Threshold, Track};

/// Track indices ordered so that each track comes after the tracks it requires; a cycle is
/// refused at the position of one of its `requires`.
pub(crate) fn order_tracks(
    tracks: &[Track],
    edges: &[(usize, usize, usize)],
) -> Result<Vec<usize>, (usize, String)> {
    if let Some((from, _, offset)) = edges.iter().find(|(from, to, _)| from == to) {
        return Err((
            *offset,
            format!(
                "a tier of track {:?} requires a tier of the same track; a track's tiers are already ordered, so require nothing or another track",
                tracks[*from].id
            ),
        ));
    }
    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut state = vec![0_u8; tracks.len()];
    let mut order = Vec::with_capacity(tracks.len());
    let mut path = Vec::new();
    for start in 0..tracks.len() {
        visit(start, tracks, edges, &mut state, &mut order, &mut path)?;
    }
    Ok(order)
}

fn visit(
    t: usize,
    tracks: &[Track],
    edges: &[(usize, usize, usize)],
    state: &mut [u8],
    order: &mut Vec<usize>,
    path: &mut Vec<usize>,
) -> Result<(), (usize, String)> {
    match state[t] {
        2 => return Ok(()),
        1 => {
            let from = path.iter().position(|p| *p == t).unwrap_or(0);
            let mut names: Vec<&str> = path[from..]
                .iter()
                .map(|p| tracks[*p].id.as_str())
                .collect();
            names.push(&tracks[t].id);
            let last = path.last().copied().unwrap_or(t);
            let offset = edges
                .iter()
                .find(|(a, b, _)| *a == last && *b == t)
                .map_or(0, |(_, _, o)| *o);
            return Err((
                offset,
                format!(
                    "tracks require each other in a cycle ({}); one of these requires must go",
                    names.join(" → ")
                ),
            ));
        }
        _ => {}
    }
    state[t] = 1;
    path.push(t);
    for (_, to, _) in edges.iter().filter(|(from, _, _)| *from == t) {
        visit(*to, tracks, edges, state, order, path)?;
    }
    path.pop();
    state[t] = 2;
    order.push(t);
    Ok(())
}

/// The loosest bound a tier places on a metric across all its paths: (value, strict).
#[derive(Clone, Copy)]
struct Bound {
    value: Ratio,
    strict: bool,
}

#[derive(Default)]
struct Bounds {
    lower: Vec<(Metric, Bound)>,
    upper: Vec<(Metric, Bound)>,
}

fn collect(node: &Node, negated: bool, out: &mut Bounds) {
    match node {
        Node::All { items, .. } | Node::Any { items, .. } => {
            items.iter().for_each(|i| collect(i, negated, out));
        }
        Node::Not { item, .. } => collect(item, !negated, out),
        Node::Requires { .. } => {}
        Node::Compare(c) => {
            // Under `not` the direction flips; skip those rather than guess.
            if negated {
                return;
            }
            let value = match c.threshold {
                Threshold::Number(v) => v,
                Threshold::Growth { rate, .. } => rate,
                Threshold::Bool(_) => return,
            };
            let (list, strict, loosest) = match c.op {
                Op::Ge => (&mut out.lower, false, Ordering::Less),
                Op::Gt => (&mut out.lower, true, Ordering::Less),
                Op::Le => (&mut out.upper, false, Ordering::Greater),
                Op::Lt => (&mut out.upper, true, Ordering::Greater),
                Op::Eq => return,
            };
            let bound = Bound { value, strict };
            match list.iter_mut().find(|(m, _)| *m == c.metric) {
                None => list.push((c.metric, bound)),
                Some((_, current)) => {
                    if looser(bound, *current, loosest) {
                        *current = bound;
                    }
                }
            }
        }
    }
}

/// Whether `a` admits more than `b`, for lower bounds (`Less`) or upper bounds (`Greater`).
fn looser(a: Bound, b: Bound, direction: Ordering) -> bool {
    match a.value.cmp_exact(b.value) {
        Some(o) if o == direction => true,
        Some(Ordering::Equal) => b.strict && !a.strict,
        _ => false,
    }
}

/// For each pair of tiers in a track, metrics on which the higher tier is looser than the
/// lower one: (track, higher tier, message).
pub(crate) fn looser_tier_warnings(tracks: &[Track]) -> Vec<(usize, usize, String)> {
    let mut warnings = Vec::new();
    for (t, track) in tracks.iter().enumerate() {
        let bounds: Vec<Bounds> = track
            .tiers
            .iter()
            .map(|tier| {
                let mut b = Bounds::default();
                collect(&tier.rule, false, &mut b);
                b
            })
            .collect();
        for high in 1..bounds.len() {
            for low in 0..high {
                let pairs = [
                    (
                        &bounds[high].lower,
                        &bounds[low].lower,
                        Ordering::Less,
                        "a lower",
                    ),
                    (
                        &bounds[high].upper,
                        &bounds[low].upper,
                        Ordering::Greater,
                        "a higher",
                    ),
                ];
                for (hi, lo, direction, word) in pairs {
                    for (metric, h) in hi {
                        let Some((_, l)) = lo.iter().find(|(m, _)| m == metric) else {
                            continue;
                        };
                        if looser(*h, *l, direction) {
                            warnings.push((t, high, format!(
                                "tier {:?} accepts {word} {} than the lower tier {:?} does; a higher tier is normally stricter, so check the thresholds",
                                track.tiers[high].id, metric.name(), track.tiers[low].id
                            )));
                        }
                    }
                }
            }
        }
    }
    warnings
}
