//! Storage backends behind [`app::store::ItemStore`].

pub mod sqlite;
