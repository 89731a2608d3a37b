//! Small DOM helpers. Text only ever enters the page through `textContent`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, Window};

/// The window, or an error when there is none (e.g. in a worker).
pub fn window() -> Result<Window, JsValue> {
    web_sys::window().ok_or_else(|| JsValue::from_str("no window"))
}

/// The document.
pub fn document() -> Result<Document, JsValue> {
    window()?
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// The element with this id, cast to `T`.
pub fn by_id<T: JsCast>(id: &str) -> Result<T, JsValue> {
    document()?
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("missing element #{id}")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("element #{id} has the wrong type")))
}

/// A new element with `text` as its text content.
pub fn el(tag: &str, text: &str) -> Result<Element, JsValue> {
    let e = document()?.create_element(tag)?;
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    Ok(e)
}

/// A new element with a class and text.
pub fn el_class(tag: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let e = el(tag, text)?;
    e.set_class_name(class);
    Ok(e)
}

/// Call `f` on `event` at `target` for as long as the page lives. A plain
/// `fn`, so all these listeners share one closure type and its shims in the
/// WebAssembly and the JS glue (issue 7, bundle size).
pub fn on(target: &web_sys::EventTarget, event: &str, f: fn()) -> Result<(), JsValue> {
    let cb = Closure::<dyn FnMut()>::new(f);
    target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())?;
    // The page lives as long as the listener: hand the closure to JS.
    cb.forget();
    Ok(())
}

/// Remove every child of `parent`.
pub fn clear(parent: &Element) {
    parent.set_text_content(None);
}

/// Show or hide an element.
pub fn set_hidden(e: &Element, hidden: bool) -> Result<(), JsValue> {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        h.set_hidden(hidden);
    }
    Ok(())
}

/// Append `child` to `parent`.
pub fn append(parent: &Element, child: &Element) -> Result<(), JsValue> {
    parent.append_child(child)?;
    Ok(())
}

/// `x` with one decimal, like `format!("{x:.1}")` for the non-negative
/// numbers the page shows (sizes, seconds), without the float formatting
/// machinery in the WebAssembly.
pub fn tenths(x: f64) -> String {
    // Non-negative and far below u64::MAX; the cast saturates anyway.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let t = (x.max(0.0) * 10.0).round() as u64;
    format!("{}.{}", t / 10, t % 10)
}

/// `window.todokuShare[method]` (www/share.js) and the object it is called on.
pub fn share_api(method: &str) -> Result<(JsValue, js_sys::Function), JsValue> {
    let window = window()?;
    let api = js_sys::Reflect::get(&window, &JsValue::from_str("todokuShare"))?;
    let f = js_sys::Reflect::get(&api, &JsValue::from_str(method))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| JsValue::from_str("share links are not available"))?;
    Ok((api, f))
}

/// An error shown in place of the report (as an alert) and on the console.
pub fn show_error(err: &JsValue) {
    let msg = err.as_string().unwrap_or_else(|| {
        err.dyn_ref::<js_sys::Error>()
            .map_or_else(|| format!("{err:?}"), |e| String::from(e.message()))
    });
    web_sys::console::error_1(&JsValue::from_str(&msg));
    if let Ok(out) = by_id::<Element>("report") {
        clear(&out);
        if let Ok(p) = el(
            "p",
            &format!(
                "{}{msg}",
                crate::i18n::t(todoku_core::wording::Ui::SomethingWrong)
            ),
        ) {
            let _ = p.set_attribute("role", "alert");
            let _ = append(&out, &p);
        }
    }
}
