//! One text field of the item form: label, live character count, the control, and its error.

use leptos::prelude::*;

/// What the form tracks of one field: the text as typed, and whether live checks have started
/// for it (once it was left, or for every field once a save was tried).
#[derive(Clone, Copy)]
pub(super) struct FieldState {
    pub value: RwSignal<String>,
    pub touched: RwSignal<bool>,
}

impl FieldState {
    pub fn new(initial: String) -> Self {
        Self {
            value: RwSignal::new(initial),
            touched: RwSignal::new(false),
        }
    }

    /// The field's message (reactive): its rule's complaint once live checks have started,
    /// else what the server said about it, until the user edits it.
    pub fn error(
        self,
        name: &'static str,
        check: fn(&str) -> Option<String>,
        server_errors: RwSignal<domain::model::FieldErrors>,
    ) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        move || {
            let live = self
                .touched
                .get()
                .then(|| check(&self.value.read()))
                .flatten();
            live.or_else(|| server_errors.read().get(name).cloned())
        }
    }
}

/// The frame around a field's control: the control itself (an `<input>` or a `<textarea>`
/// with `id`, `aria-describedby="{id}-error {id}-count"`, or `{id}-error {id}-hint` without a
/// counter) comes as the children.
#[component]
pub(super) fn Field(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] optional: bool,
    /// Characters as the field's rule counts them (reactive), and the most it allows; none
    /// for a field without a length limit.
    #[prop(optional)]
    count: Option<(Signal<usize>, usize)>,
    /// A line under the label saying what the field takes.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The field's message, if any (reactive).
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field--invalid=move || error().is_some()>
            <div class="field__label-row">
                <label for=id>
                    {label}
                    {optional.then(|| view! { " " <span class="field__optional">"(optional)"</span> })}
                </label>
                {count
                    .map(|(count, max)| {
                        view! {
                            <span class="field__count" id=format!("{id}-count") aria-live="polite">
                                {count}
                                " / "
                                {max}
                            </span>
                        }
                    })}
            </div>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hint")>{hint}</p> })}
            {children()}
            <p class="field__error" id=format!("{id}-error")>
                {error}
            </p>
        </div>
    }
}

/// `aria-invalid`'s value for a field with this error (reactive).
pub(super) fn aria_invalid(
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || {
        if error().is_some() {
            "true"
        } else {
            "false"
        }
    }
}
