//! Helpers for forms: rendering a page, redirecting after a POST (303), and
//! the field errors a template shows next to each input.

use askama::Template;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use maillage_core::{CoreError, FieldErrors};

use crate::error::WebError;

/// Renders a template as a 200 page.
pub fn page(t: impl Template) -> Result<Response, WebError> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form again with its errors (422), keeping what was typed.
pub fn invalid(t: impl Template) -> Result<Response, WebError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(t.render()?)).into_response())
}

/// 303 See Other: after a successful POST, go and GET this page.
pub fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    res.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(location).unwrap_or_else(|_| HeaderValue::from_static("/")),
    );
    res
}

/// A file to download: its type and a `Content-Disposition: attachment`
/// with `file` as its name (callers build names from ASCII letters, digits,
/// dots and hyphens only).
pub fn download(body: impl IntoResponse, content_type: &'static str, file: &str) -> Response {
    with_file_name(body, content_type, "attachment", file)
}

/// A file the browser shows itself (PDF), saved under `file` if kept.
pub fn inline(body: impl IntoResponse, content_type: &'static str, file: &str) -> Response {
    with_file_name(body, content_type, "inline", file)
}

fn with_file_name(body: impl IntoResponse, content_type: &'static str, disposition: &str, file: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Splits an operation's error: field errors go back to the form, anything
/// else becomes the error page.
pub fn field_errors(e: CoreError) -> Result<FieldErrors, WebError> {
    match e {
        CoreError::Invalid(f) => Ok(f),
        other => Err(other.into()),
    }
}

/// A record id from the path: anything but a UUID cannot exist (404).
pub fn id_or_404(raw: &str) -> Result<uuid::Uuid, WebError> {
    uuid::Uuid::parse_str(raw).map_err(|_| WebError::not_found())
}

/// The first value of `key` in a form sent as pairs (forms with repeated
/// checkbox names are read as `Form<Vec<(String, String)>>`).
pub fn first(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of `key` in a form sent as pairs, in order.
pub fn all(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

/// A query string of the non-empty parameters, for pagination and export
/// links that keep a search: `q=elodie&categorie=A`.
pub fn query_string(params: &[(&str, &String)]) -> String {
    params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::middleware::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A redirect target taken from user input: only local paths. Anything with
/// a control character, a space or non-ASCII is refused too: browsers strip
/// tabs and newlines from URLs, so « /\t/evil.example » would become
/// « //evil.example », another site.
pub fn safe_return(target: Option<&str>) -> String {
    match target {
        Some(t)
            if t.starts_with('/')
                && !t.starts_with("//")
                && !t.contains('\\')
                && t.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            t.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn only_plain_local_paths() {
        assert_eq!(safe_return(Some("/compte?x=1")), "/compte?x=1");
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/\n/evil",
            "/é",
            "/ /x",
            "",
        ] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return(None), "/");
    }
}
