//! Reusable pieces of the UI.

mod bulk_bar;
mod delete_item;
mod failed_items;
mod http_status;
mod item_card;
mod item_editor;
mod item_place;
mod location_picker;
mod photo_gallery;
mod photo_image;
mod photo_manager;
mod photo_picker;
mod placeholder;
mod raw_text;
mod site_header;
mod tag_chips;
mod tag_suggestions;
mod visitor;

pub use bulk_bar::{BulkBar, PickBox};
pub use delete_item::DeleteItem;
pub use failed_items::{item_count, ChangeNotice, FailedItems};
pub use http_status::set_http_status;
pub use item_card::ItemCard;
pub use item_editor::{EditorMode, ItemEditor};
pub use item_place::ItemPlace;
pub use location_picker::LocationPicker;
pub use photo_gallery::PhotoGallery;
pub use photo_image::{Loading, PhotoImage};
pub use photo_manager::{PhotoManager, PhotoOp};
pub use photo_picker::{PhotoPicker, PhotoQueue, PhotosFor, UploadSummary};
pub use placeholder::placeholder_style;
pub use raw_text::raw_text;
pub use site_header::SiteHeader;
pub use tag_chips::{tag_href, TagChips};
pub use tag_suggestions::TagSuggestions;
pub use visitor::{collection_form_action, collection_href, form_action, CollectionChoice, Viewer};
