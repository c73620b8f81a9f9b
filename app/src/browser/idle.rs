//! Optional work that waits for an idle browser, unless the user asked to save data.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs `f` once the browser is idle (`requestIdleCallback`), or after the current task where
/// there is no such call (Safari).
pub fn when_idle(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let callback: &js_sys::Function = callback.unchecked_ref();
    if window.request_idle_callback(callback).is_err() {
        let _ = window.set_timeout_with_callback(callback);
    }
}

/// The user asked the browser to save data (`navigator.connection.saveData`: a data saver
/// or lite mode): what is optional waits until it is needed. False where the browser does
/// not say (Safari, Firefox).
pub fn saves_data() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window.navigator(), &"connection".into())
        .and_then(|connection| js_sys::Reflect::get(&connection, &"saveData".into()))
        .is_ok_and(|save_data| save_data.is_truthy())
}
