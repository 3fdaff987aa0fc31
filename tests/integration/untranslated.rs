//! Every word a page shows comes from the catalogues. A template's text between tags and
//! the attributes people read (placeholder, title, aria-label, alt, label, the confirm
//! question) hold only `t()` calls, values and symbols; a macro's placeholder, label,
//! hint and title are catalogue keys. The few words allowed otherwise are listed below;
//! code samples (`<code>`, a `class="code"` box) and key caps (`<kbd>Enter</kbd>`, named
//! as the keyboard prints them) are not words to translate.

use std::path::{Path, PathBuf};

/// Words a page may show as they are, in every language, and why.
const ALLOWED: &[(&str, &str)] = &[("Atende", "the product's name"), ("WhatsApp", "a brand"), ("Telegram", "a brand")];

/// Attributes a person reads or hears.
const READ_ATTRIBUTES: [&str; 6] = ["placeholder", "title", "aria-label", "alt", "label", "data-confirm"];

/// Macro arguments that are catalogue keys, not text.
const KEY_ARGUMENTS: [&str; 4] = ["placeholder", "label", "hint", "title"];

/// Elements whose content is code or key caps, not text.
const NOT_TEXT: [&str; 4] = ["script", "style", "code", "kbd"];

/// Blocks and macros that write into a tag (a class, attributes), not between tags.
const INSIDE_A_TAG: &str = r"\{%-?\s*(block \w+_class|macro invalid)\b";

fn template_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("templates folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            template_files(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// The words of one template outside the catalogues, by offset.
fn words_outside_catalogues(text: &str, keys: &[String]) -> Vec<(usize, String)> {
    let (html, pieces) = blank_tera(text);
    let mut found = literal_text(&blank_inside_tags(text, html));
    found.retain(|(_, words)| has_word(words) && !allowed(words));
    found.extend(literal_arguments(&pieces, keys));
    found
}

/// `html` with what the blocks and macros of `INSIDE_A_TAG` write blanked.
fn blank_inside_tags(text: &str, mut html: String) -> String {
    let start = regex_lite::Regex::new(INSIDE_A_TAG).expect("pattern");
    for found in start.find_iter(text) {
        let close = if found.as_str().contains("block") { "endblock" } else { "endmacro" };
        let end = text[found.end()..].find(close).map_or(text.len(), |i| found.end() + i);
        html.replace_range(found.start()..end, &blank(&text[found.start()..end]));
    }
    html
}

/// Spaces as long as `text` in bytes, its newlines kept, so offsets and lines still hold.
fn blank(text: &str) -> String {
    text.chars().map(|c| if c == '\n' { "\n".to_string() } else { " ".repeat(c.len_utf8()) }).collect()
}

/// `text` with Tera's comments, expressions and statements blanked, and those pieces
/// themselves, by their offset.
fn blank_tera(text: &str) -> (String, Vec<(usize, &str)>) {
    let mut html = String::with_capacity(text.len());
    let mut pieces = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{').map(|i| rest + i) {
        let close = match text.get(open..open + 2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                html.push_str(&text[rest..=open]);
                rest = open + 1;
                continue;
            }
        };
        let end = text[open..].find(close).map_or(text.len(), |i| open + i + 2);
        html.push_str(&text[rest..open]);
        html.push_str(&blank(&text[open..end]));
        pieces.push((open, &text[open..end]));
        rest = end;
    }
    html.push_str(&text[rest..]);
    (html, pieces)
}

/// Whether `text` holds a word: a letter once entities (`&times;`) are taken out.
fn has_word(text: &str) -> bool {
    let entity = regex_lite::Regex::new(r"&#?[A-Za-z0-9]+;").expect("pattern");
    entity.replace_all(text, "").chars().any(char::is_alphabetic)
}

fn allowed(text: &str) -> bool {
    let mut rest = text.to_string();
    for (word, _) in ALLOWED {
        rest = rest.replace(word, "");
    }
    !has_word(&rest)
}

/// The visible literal text of one template, as `(offset, text)`.
fn literal_text(html: &str) -> Vec<(usize, String)> {
    let attribute = regex_lite::Regex::new(r#"\s([a-z-]+)\s*=\s*"([^"]*)""#).expect("pattern");
    let mut found = Vec::new();
    let mut at = 0;
    while at < html.len() {
        let next_tag = html[at..].find('<').map_or(html.len(), |i| at + i);
        found.push((at, html[at..next_tag].to_string()));
        if next_tag == html.len() {
            break;
        }
        if html[next_tag..].starts_with("<!--") {
            at = html[next_tag..].find("-->").map_or(html.len(), |i| next_tag + i + 3);
            continue;
        }
        let tag_end = html[next_tag..].find('>').map_or(html.len(), |i| next_tag + i + 1);
        let tag = &html[next_tag..tag_end];
        for capture in attribute.captures_iter(tag) {
            if READ_ATTRIBUTES.contains(&&capture[1]) {
                let value = capture.get(2).expect("value");
                found.push((next_tag + value.start(), value.as_str().to_string()));
            }
        }
        at = tag_end;
        let name: String = tag[1..].chars().take_while(char::is_ascii_alphanumeric).collect();
        if NOT_TEXT.contains(&name.as_str()) || tag.contains(r#"class="code""#) {
            at = html[at..].find(&format!("</{name}>")).map_or(html.len(), |i| at + i);
        }
    }
    found
}

/// Literal strings given as a key (a macro's `placeholder="Urgente"`, `t(key='Salvar')`,
/// `{% set placeholder_key = "Nome" %}`) that no catalogue key is, or begins (`'status-' ~ s`).
fn literal_arguments(pieces: &[(usize, &str)], keys: &[String]) -> Vec<(usize, String)> {
    let argument = regex_lite::Regex::new(r#"([a-z_]+)\s*=\s*["']([^"']*)["']"#).expect("pattern");
    let is_key = |text: &str| match text.strip_suffix('-') {
        Some(prefix) => keys.iter().any(|k| k.starts_with(prefix)),
        None => keys.iter().any(|k| k == text),
    };
    let mut found = Vec::new();
    for (offset, piece) in pieces {
        for capture in argument.captures_iter(piece) {
            let value = capture.get(2).expect("value");
            let names_a_key = KEY_ARGUMENTS.contains(&&capture[1]) || capture[1].ends_with("key");
            if names_a_key && !value.as_str().is_empty() && !is_key(value.as_str()) {
                found.push((offset + value.start(), value.as_str().to_string()));
            }
        }
    }
    found
}

/// The keys of the reference catalogue.
fn catalogue_keys(root: &Path) -> Vec<String> {
    let mut keys = Vec::new();
    for entry in std::fs::read_dir(root.join("locales/pt-BR")).expect("catalogue folder") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("catalogue text");
        let messages = text.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()));
        keys.extend(messages.filter_map(|l| Some(l.split_once('=')?.0.trim().to_string())));
    }
    keys
}

#[test]
fn no_template_shows_a_word_outside_the_catalogues() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    template_files(&root.join("templates"), &mut files);
    files.sort();
    assert!(files.len() > 30, "templates found: {}", files.len());
    let keys = catalogue_keys(root);
    let mut offenders = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("template text");
        let name = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        for (offset, words) in words_outside_catalogues(&text, &keys) {
            let line = text[..offset].matches('\n').count() + 1;
            offenders.push(format!("{name}:{line}: {:?}", words.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    assert!(offenders.is_empty(), "words outside t():\n{}", offenders.join("\n"));
}

#[test]
fn the_check_finds_what_it_looks_for() {
    let sample = r#"<p>Olá {{ name }}</p><input placeholder="Urgente" title="{{ t(key='x-y', lang=lang) }}">
{# a comment with words #}<span>{{ t(key='a-b', lang=lang) }} ×</span><script>let words = "not text";</script>
{{ m::input(name="name", label="field-name", placeholder="Almoço") }}{% set hint_key = "Dica" %}<b>{{ n }} min</b><i>&times; Atende</i>
{% block body_class %}{% if me %}app{% else %}public{% endif %}{% endblock body_class %}<kbd>Esc</kbd> <code>a.b</code>
<textarea class="code">&lt;script src="x"&gt;</textarea><option label="Escolha">Sim</option>"#;
    let keys = ["field-name".to_string(), "x-y".to_string(), "a-b".to_string()];
    let found = words_outside_catalogues(sample, &keys);
    let words: Vec<&str> = found.iter().map(|(_, w)| w.trim()).collect();
    assert_eq!(words, ["Olá", "Urgente", "min", "Escolha", "Sim", "Almoço", "Dica"]);
}
