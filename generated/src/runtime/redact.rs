//! Credentials embedded in a URL (`https://user:secret@host/`) are kept for sending (a proxy or
//! gateway may need them) but never shown: `Debug` of the client, error messages and anything
//! logged see `https://***@host/` instead.

use std::borrow::Cow;

/// What replaces the user-info part of a URL when it is shown.
pub const REDACTED_USERINFO: &str = "***";

/// The user-info part of `url` (`user:secret` in `https://user:secret@host/path`), if it has one.
/// The authority ends at the first `/`, `?` or `#` after the scheme; its user info is what comes
/// before its last `@`.
pub fn userinfo(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    Some(&authority[..at])
}

/// `url` with its user info, if any, replaced by `***`; borrowed when there is none.
pub fn redact_url(url: &str) -> Cow<'_, str> {
    match userinfo(url) {
        Some(info) => {
            let start = url.find("://").map_or(0, |i| i + 3);
            Cow::Owned(format!("{}{REDACTED_USERINFO}{}", &url[..start], &url[start + info.len()..]))
        }
        None => Cow::Borrowed(url),
    }
}

/// The pieces of `url`'s user info that must not be shown in any text, as written in the URL:
/// the whole of it and its password, or, without a password, the user name (which then is the
/// secret, as in `https://TOKEN@host/`). A user name beside a password is not looked for alone:
/// a short one would match ordinary words. Empty when the URL has no user info.
// Only the client quotes transport errors, which are what these clean.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub fn secrets_of(url: &str) -> Vec<String> {
    let Some(info) = userinfo(url) else { return Vec::new() };
    let secret_part = match info.split_once(':') {
        Some((_, password)) => password,
        None => info,
    };
    let mut secrets = vec![info.to_string()];
    if secret_part != info {
        secrets.push(secret_part.to_string());
    }
    secrets.retain(|secret| !secret.is_empty());
    secrets
}

/// `text` with every occurrence of each of `secrets` (longest first) replaced by `***`; borrowed
/// when none occurs.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub fn redact_text<'a>(text: &'a str, secrets: &[String]) -> Cow<'a, str> {
    if !secrets.iter().any(|secret| text.contains(secret.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut ordered: Vec<&String> = secrets.iter().collect();
    ordered.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    let mut out = text.to_string();
    for secret in ordered {
        out = out.replace(secret.as_str(), REDACTED_USERINFO);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_is_found_only_in_the_authority() {
        assert_eq!(userinfo("https://user:pass@host/"), Some("user:pass"));
        assert_eq!(userinfo("https://tok@host"), Some("tok"));
        assert_eq!(userinfo("https://a:b@c@host:8080/p"), Some("a:b@c"));
        assert_eq!(userinfo("https://host/path@x"), None);
        assert_eq!(userinfo("https://host?q=a@b"), None);
        assert_eq!(userinfo("https://host#a@b"), None);
        assert_eq!(userinfo("https://api.intercom.io"), None);
        assert_eq!(userinfo("not a url"), None);
    }

    #[test]
    fn redacted_urls_keep_scheme_host_and_path() {
        assert_eq!(redact_url("https://user:pass@host/"), "https://***@host/");
        assert_eq!(redact_url("http://u:p@127.0.0.1:9/a/b?c=d"), "http://***@127.0.0.1:9/a/b?c=d");
        assert_eq!(redact_url("https://tok@host"), "https://***@host");
        assert!(matches!(redact_url("https://api.intercom.io"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_part_of_the_user_info_is_hidden_from_text() {
        let secrets = secrets_of("https://ada:s3cr%40t@host/");
        assert_eq!(secrets, ["ada:s3cr%40t", "s3cr%40t"]);
        assert_eq!(secrets_of("https://TOKEN@host/"), ["TOKEN"]);
        assert_eq!(secrets_of("https://:p@host/"), [":p", "p"]);
        assert_eq!(secrets_of("https://ada:@host/"), ["ada:"]);
        let text = "error for url (https://ada:s3cr%40t@host/me); password s3cr%40t";
        assert_eq!(redact_text(text, &secrets), "error for url (https://***@host/me); password ***");
        assert!(matches!(redact_text("nothing here", &secrets), Cow::Borrowed(_)));
        assert!(secrets_of("https://api.intercom.io").is_empty());
    }
}
