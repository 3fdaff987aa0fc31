//! Click-to-call (F-AG-22): the company's PBX is asked, by one HTTP request an
//! administrator writes as a template, to ring the agent's extension ("ramal") and then
//! dial the contact. The template names `{extension}`, `{number}` (the contact's phone,
//! digits with the country code) and `{secret}`; values go into the address
//! percent-encoded and into headers and body as they are. Asterisk's ARI, for one:
//! `POST http://pbx:8088/ari/channels?endpoint=PJSIP/{extension}&extension={number}&context=from-internal`
//! with the header `Authorization: Basic {secret}`.

/// The request as the administrator wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallTemplate {
    pub method: String,
    pub url: String,
    /// One `Name: value` per line.
    pub headers: String,
    pub body: String,
}

/// The request made for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

use super::flow::placeholders::url_encode;

/// Why a call cannot be asked for; each names a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallRefused {
    /// The agent has no extension, or one a PBX cannot dial.
    NoExtension,
    /// The contact has no phone number.
    NoNumber,
}

impl CallRefused {
    pub fn key(self) -> &'static str {
        match self {
            CallRefused::NoExtension => "call-no-extension",
            CallRefused::NoNumber => "call-no-number",
        }
    }
}

pub const METHODS: [&str; 3] = ["POST", "GET", "PUT"];

/// An extension a PBX dials: digits, `*` and `#`, at most 20.
pub fn valid_extension(extension: &str) -> bool {
    let e = extension.trim();
    !e.is_empty() && e.len() <= 20 && e.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '#')
}

/// The header lines of a template, each `Name: value`; `None` names the first bad line
/// (1-based): no colon, a name that is not a token, or nothing before the colon.
pub fn parse_headers(text: &str) -> Result<Vec<(String, String)>, usize> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let (name, value) = line.split_once(':').ok_or(i + 1)?;
        let name = name.trim();
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(i + 1);
        }
        out.push((name.to_string(), value.trim().to_string()));
    }
    Ok(out)
}

/// The request that rings `extension` and dials `phone` (the digits of the contact's
/// number). Line breaks never reach a header: the values are digits, and the secret
/// and template are checked when saved.
pub fn request(t: &CallTemplate, extension: &str, phone: &str, secret: &str) -> Result<CallRequest, CallRefused> {
    let extension = extension.trim();
    if !valid_extension(extension) {
        return Err(CallRefused::NoExtension);
    }
    let number: String = phone.chars().filter(char::is_ascii_digit).collect();
    if number.is_empty() {
        return Err(CallRefused::NoNumber);
    }
    let fill = |text: &str, encode: bool| {
        let value = |v: &str| if encode { url_encode(v) } else { v.to_string() };
        text.replace("{extension}", &value(extension))
            .replace("{number}", &value(&number))
            .replace("{secret}", &value(secret))
    };
    let headers = parse_headers(&t.headers)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| (name, fill(&value, false).replace(['\r', '\n'], "")))
        .collect();
    Ok(CallRequest { method: t.method.clone(), url: fill(&t.url, true), headers, body: fill(&t.body, false) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ari() -> CallTemplate {
        CallTemplate {
            method: "POST".into(),
            url: "http://pbx:8088/ari/channels?endpoint=PJSIP/{extension}&extension={number}&api_key={secret}".into(),
            headers: "Authorization: Basic {secret}\nX-Ramal: {extension}\n\n".into(),
            body: r#"{"ramal":"{extension}","destino":"{number}"}"#.into(),
        }
    }

    #[test]
    fn the_template_is_filled_with_the_extension_the_number_and_the_secret() {
        let r = request(&ari(), " 201 ", "+55 (11) 98765-4321", "a&b=c").unwrap();
        assert_eq!(r.url, "http://pbx:8088/ari/channels?endpoint=PJSIP/201&extension=5511987654321&api_key=a%26b%3Dc");
        assert_eq!(r.headers, vec![("Authorization".into(), "Basic a&b=c".into()), ("X-Ramal".into(), "201".into())]);
        assert_eq!(r.body, r#"{"ramal":"201","destino":"5511987654321"}"#);
        assert_eq!(r.method, "POST");
    }

    #[test]
    fn no_extension_or_no_number_is_refused() {
        assert_eq!(request(&ari(), "", "5511987654321", "s"), Err(CallRefused::NoExtension));
        assert_eq!(request(&ari(), "201; rm", "5511987654321", "s"), Err(CallRefused::NoExtension));
        assert_eq!(request(&ari(), "201", "sem telefone", "s"), Err(CallRefused::NoNumber));
        assert!(valid_extension("*72#"));
        assert!(!valid_extension(&"1".repeat(21)));
    }

    #[test]
    fn header_lines_are_checked() {
        assert_eq!(
            parse_headers("A: 1\n\nB-2:x:y").unwrap(),
            vec![("A".into(), "1".into()), ("B-2".into(), "x:y".into())]
        );
        assert_eq!(parse_headers("A: 1\nsem dois pontos"), Err(2));
        assert_eq!(parse_headers("Nome com espaço: 1"), Err(1));
        assert_eq!(parse_headers(": 1"), Err(1));
    }
}
