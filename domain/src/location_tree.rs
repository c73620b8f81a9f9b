//! A collection's locations as a tree: paths (for breadcrumbs), subtrees (what a location
//! holds), counts, and the rules a move must keep (never into itself, never deeper than
//! [`MAX_LOCATION_DEPTH`]). Compiled for the browser too: the pages draw the tree with it.

use crate::model::{Location, LocationId, MAX_LOCATION_DEPTH};
use crate::search::fold;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The separator of a location's path as shown: "House › Garage › Shelf 2".
pub const PATH_SEPARATOR: &str = " › ";

/// Why a location cannot go where it was asked to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("a location cannot be moved into itself or into a location inside it")]
    IntoItself,
    #[error("locations nest at most {MAX_LOCATION_DEPTH} deep")]
    TooDeep,
    #[error("there is no such location to move it into")]
    NoSuchParent,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocationTree {
    by_id: BTreeMap<LocationId, Location>,
    /// The ids in each location (`None`: at the top), by name: built once, so that walking
    /// the tree never scans every location per step.
    children: HashMap<Option<LocationId>, Vec<LocationId>>,
}

impl LocationTree {
    /// The tree of `locations`. One whose parent is not among them (deleted while it was
    /// being created, on a store that cannot prevent it) is put at the top, where it can be
    /// seen and moved, rather than lost.
    pub fn new(locations: Vec<Location>) -> Self {
        let mut by_id: BTreeMap<LocationId, Location> =
            locations.into_iter().map(|l| (l.id.clone(), l)).collect();
        let orphans: Vec<LocationId> = by_id
            .values()
            .filter(|l| l.parent.as_ref().is_some_and(|p| !by_id.contains_key(p)))
            .map(|l| l.id.clone())
            .collect();
        for orphan in orphans {
            if let Some(location) = by_id.get_mut(&orphan) {
                location.parent = None;
            }
        }
        let mut children: HashMap<Option<LocationId>, Vec<&Location>> = HashMap::new();
        for location in by_id.values() {
            children
                .entry(location.parent.clone())
                .or_default()
                .push(location);
        }
        let children = children
            .into_iter()
            .map(|(parent, mut inside)| {
                inside.sort_by_cached_key(|l| (fold(&l.name), l.id.clone()));
                (parent, inside.into_iter().map(|l| l.id.clone()).collect())
            })
            .collect();
        Self { by_id, children }
    }

    pub fn get(&self, id: &LocationId) -> Option<&Location> {
        self.by_id.get(id)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The location and the ones it is in, outermost first. A parent that is missing ends the
    /// path (it was deleted meanwhile), and so does a loop in broken data.
    pub fn path(&self, id: &LocationId) -> Vec<&Location> {
        let mut path = Vec::new();
        let mut next = self.by_id.get(id);
        while let Some(location) = next {
            if path.len() > MAX_LOCATION_DEPTH
                || path.iter().any(|l: &&Location| l.id == location.id)
            {
                break;
            }
            path.push(location);
            next = location
                .parent
                .as_ref()
                .and_then(|parent| self.by_id.get(parent));
        }
        path.reverse();
        path
    }

    /// "House › Garage › Shelf 2".
    pub fn path_text(&self, id: &LocationId) -> String {
        self.path(id)
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(PATH_SEPARATOR)
    }

    /// The locations directly in `parent` (at the top for `None`), by name.
    pub fn children(&self, parent: Option<&LocationId>) -> Vec<&Location> {
        self.children
            .get(&parent.cloned())
            .into_iter()
            .flatten()
            .filter_map(|id| self.by_id.get(id))
            .collect()
    }

    /// The location and every location inside it, at any depth.
    pub fn subtree(&self, id: &LocationId) -> Vec<LocationId> {
        let mut found = vec![id.clone()];
        let mut seen: HashSet<LocationId> = HashSet::from([id.clone()]);
        let mut at = 0;
        while at < found.len() {
            let inside = self
                .children
                .get(&Some(found[at].clone()))
                .into_iter()
                .flatten();
            // A loop in broken data would otherwise be walked forever.
            let new: Vec<LocationId> = inside
                .filter(|child| seen.insert((*child).clone()))
                .cloned()
                .collect();
            found.extend(new);
            at += 1;
        }
        found
    }

    /// Every location in tree order (each followed by what is inside it), with its depth
    /// (1 at the top): what a location picker lists.
    pub fn in_order(&self) -> Vec<(usize, &Location)> {
        let mut ordered = Vec::with_capacity(self.by_id.len());
        self.push_in_order(None, 1, &mut ordered);
        ordered
    }

    fn push_in_order<'a>(
        &'a self,
        parent: Option<&LocationId>,
        depth: usize,
        ordered: &mut Vec<(usize, &'a Location)>,
    ) {
        if depth > MAX_LOCATION_DEPTH + 1 {
            return;
        }
        for child in self.children(parent) {
            ordered.push((depth, child));
            self.push_in_order(Some(&child.id), depth + 1, ordered);
        }
    }

    /// How many levels the location and what is inside it span (1 for a location with
    /// nothing inside).
    fn height(&self, id: &LocationId) -> usize {
        let path_len = self.path(id).len();
        self.subtree(id)
            .iter()
            .map(|inside| self.path(inside).len() + 1 - path_len)
            .max()
            .unwrap_or(1)
    }

    /// Whether `id` may go into `parent` (`None`: to the top).
    pub fn check_move(
        &self,
        id: &LocationId,
        parent: Option<&LocationId>,
    ) -> Result<(), MoveError> {
        let Some(parent) = parent else {
            return (self.height(id) <= MAX_LOCATION_DEPTH)
                .then_some(())
                .ok_or(MoveError::TooDeep);
        };
        if !self.by_id.contains_key(parent) {
            return Err(MoveError::NoSuchParent);
        }
        if self.subtree(id).contains(parent) {
            return Err(MoveError::IntoItself);
        }
        if self.path(parent).len() + self.height(id) > MAX_LOCATION_DEPTH {
            return Err(MoveError::TooDeep);
        }
        Ok(())
    }

    /// Items in each location and everything inside it, from the items directly in each:
    /// each location's own count is added to every location on its path.
    pub fn subtree_counts(&self, direct: &HashMap<LocationId, u64>) -> HashMap<LocationId, u64> {
        let mut totals: HashMap<LocationId, u64> =
            self.by_id.keys().map(|id| (id.clone(), 0)).collect();
        for (id, count) in direct {
            for on_path in self.path(id) {
                *totals.entry(on_path.id.clone()).or_default() += count;
            }
        }
        totals
    }

    /// Each location's path, folded: the words an item's location adds to a search.
    pub fn folded_paths(&self) -> HashMap<LocationId, String> {
        self.by_id
            .keys()
            .map(|id| (id.clone(), fold(&self.path_text(id))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn id(n: u8) -> LocationId {
        LocationId::parse(&format!("00000000-0000-4000-8000-0000000000{n:02}")).unwrap()
    }

    fn location(n: u8, name: &str, parent: Option<u8>) -> Location {
        Location {
            id: id(n),
            name: name.into(),
            parent: parent.map(id),
            version: 1,
            created_at: Timestamp::from_micros(0).unwrap(),
            updated_at: Timestamp::from_micros(0).unwrap(),
        }
    }

    /// House › Garage › Shelf 2 › Box 3, House › Attic, and Shed on its own.
    fn tree() -> LocationTree {
        LocationTree::new(vec![
            location(1, "House", None),
            location(2, "Garage", Some(1)),
            location(3, "Shelf 2", Some(2)),
            location(4, "Box 3", Some(3)),
            location(5, "Attic", Some(1)),
            location(6, "Shed", None),
        ])
    }

    #[test]
    fn paths_and_subtrees() {
        let tree = tree();
        assert_eq!(tree.path_text(&id(4)), "House › Garage › Shelf 2 › Box 3");
        assert_eq!(tree.subtree(&id(2)), [id(2), id(3), id(4)]);
        let names: Vec<&str> = tree
            .children(Some(&id(1)))
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(names, ["Attic", "Garage"]);
        let order: Vec<(usize, &str)> = tree
            .in_order()
            .iter()
            .map(|(d, l)| (*d, l.name.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (1, "House"),
                (2, "Attic"),
                (2, "Garage"),
                (3, "Shelf 2"),
                (4, "Box 3"),
                (1, "Shed")
            ]
        );
    }

    #[test]
    fn a_location_never_goes_into_itself_or_too_deep() {
        let tree = tree();
        assert_eq!(
            tree.check_move(&id(2), Some(&id(4))),
            Err(MoveError::IntoItself)
        );
        assert_eq!(
            tree.check_move(&id(2), Some(&id(2))),
            Err(MoveError::IntoItself)
        );
        assert_eq!(tree.check_move(&id(2), Some(&id(6))), Ok(()));
        assert_eq!(tree.check_move(&id(4), None), Ok(()));
        assert_eq!(
            tree.check_move(&id(2), Some(&id(9))),
            Err(MoveError::NoSuchParent)
        );
        // A chain of 8 is the deepest: nothing more goes at its bottom.
        let chain: Vec<Location> = (10..18)
            .map(|n| location(n, "Level", (n > 10).then_some(n - 1)))
            .chain([
                location(20, "Box", None),
                location(21, "Inner box", Some(20)),
            ])
            .collect();
        let deep = LocationTree::new(chain);
        assert_eq!(
            deep.check_move(&id(20), Some(&id(16))),
            Err(MoveError::TooDeep)
        );
        assert_eq!(deep.check_move(&id(21), Some(&id(16))), Ok(()));
        assert_eq!(deep.check_move(&id(20), Some(&id(15))), Ok(()));
    }

    #[test]
    fn counts_add_up_what_is_inside() {
        let direct = HashMap::from([(id(2), 1), (id(4), 2), (id(6), 5)]);
        let counts = tree().subtree_counts(&direct);
        assert_eq!(
            (
                counts[&id(1)],
                counts[&id(2)],
                counts[&id(3)],
                counts[&id(5)],
                counts[&id(6)]
            ),
            (3, 3, 2, 0, 5)
        );
    }

    #[test]
    fn broken_parent_links_end_the_path() {
        let looped = LocationTree::new(vec![location(1, "A", Some(2)), location(2, "B", Some(1))]);
        assert!(looped.path(&id(1)).len() <= 2);
        let orphan = LocationTree::new(vec![location(1, "A", Some(9))]);
        assert_eq!(orphan.path_text(&id(1)), "A");
        assert_eq!(
            orphan.children(None).len(),
            1,
            "an orphan is shown at the top"
        );
    }
}
