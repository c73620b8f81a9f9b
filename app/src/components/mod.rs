//! Reusable pieces of the UI.

mod delete_item;
mod http_status;
mod item_card;
mod item_editor;
mod photo_picker;
mod raw_text;
mod site_header;

pub use delete_item::DeleteItem;
pub use http_status::set_http_status;
pub use item_card::ItemCard;
pub use item_editor::{EditorMode, ItemEditor};
pub use photo_picker::PhotoPicker;
pub use raw_text::raw_text;
pub use site_header::SiteHeader;
