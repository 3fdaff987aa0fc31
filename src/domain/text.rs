//! What people type: comparing it case- and accent-insensitively ("Ação" = "acao"), and
//! cleaning it on the way in — one-line fields (names, e-mails, custom fields) lose
//! every character that draws nothing or reorders the text around it; message text
//! keeps its lines but never a control character.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case without diacritics, for comparisons (never for display).
pub fn fold(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase()
}

/// Characters that draw nothing or change the order in which the text around them is
/// shown: controls (Cc, NUL included) and format characters (Cf) — direction marks,
/// embeddings, overrides and isolates, zero-width spaces and joiners, the byte-order
/// mark, soft hyphens, tag characters (which can carry hidden text) — plus the letters
/// that draw nothing (Hangul fillers), used to make a name look blank.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c as u32,
            0x00AD
                | 0x034F
                | 0x0600..=0x0605
                | 0x061C
                | 0x06DD
                | 0x070F
                | 0x0890..=0x0891
                | 0x08E2
                | 0x115F..=0x1160
                | 0x180E
                | 0x200B..=0x200F
                | 0x202A..=0x202E
                | 0x2060..=0x206F
                | 0x3164
                | 0xFEFF
                | 0xFFA0
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE007F
        )
}

const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// Pictographs that emoji sequences are made of (approximately Extended_Pictographic).
fn is_pictograph(c: char) -> bool {
    matches!(
        c as u32,
        0x00A9
            | 0x00AE
            | 0x203C
            | 0x2049
            | 0x2122
            | 0x2139
            | 0x2194..=0x21AA
            | 0x231A..=0x23FF
            | 0x24C2
            | 0x25AA..=0x27BF
            | 0x2934..=0x2935
            | 0x2B05..=0x2B55
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0x1F000..=0x1FAFF
    )
}

/// A one-line field as it is stored and shown: canonical composition (NFC), no invisible
/// or direction-changing character, every run of whitespace (tabs and line breaks
/// included) one space, trimmed. "Eve\u{202E}gnp.exe" → "Evegnp.exe".
///
/// The zero-width joiner is kept only where it is part of an emoji (between a pictograph
/// — or its variation selector or skin tone — and the next pictograph: 👩‍💻, ❤️‍🔥), so
/// those show as one picture; anywhere else it is dropped. Scripts that use joiners for
/// shaping (Persian, some Indic) keep their letters but lose the join: a name stays
/// readable and can no longer hide a character.
pub fn one_line(input: &str) -> String {
    let mut kept = String::with_capacity(input.len());
    let mut chars = input.nfc().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            kept.push(' ');
        } else if c == ZERO_WIDTH_JOINER {
            let after_emoji = kept.chars().next_back().is_some_and(|p| p == '\u{FE0F}' || is_pictograph(p));
            if after_emoji && chars.peek().is_some_and(|n| is_pictograph(*n)) {
                kept.push(c);
            }
        } else if !is_invisible(c) {
            kept.push(c);
        }
    }
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a name holds emoji or symbols ("Evite usar emojis ou outros caracteres no
/// nome do contato"): anything but letters (any script, with their accents), digits,
/// spaces and the punctuation of names and company names — `. , ' ’ - ( ) & / º ª`.
/// A reason to warn, never to refuse.
pub fn has_symbols(name: &str) -> bool {
    name.chars()
        .any(|c| !(c.is_alphanumeric() || c.is_whitespace() || is_combining_mark(c) || ".,'’-()&/ºª".contains(c)))
}

/// Message text as it is stored: written lines kept (line breaks become `\n`, tabs
/// stay), no other control character (NUL, escapes, C1), trimmed. Everything else is
/// kept as written; pages show it isolated so it cannot reorder what surrounds it.
pub fn message(input: &str) -> String {
    let lines = input.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = lines.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    kept.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::{fold, has_symbols, message, one_line};

    #[test]
    fn names_with_emoji_or_symbols_are_told_apart() {
        for name in
            ["Maria da Silva", "João D'Ávila", "Ana (Padaria Pão & Cia)", "Loja 24h", "李小龍", "محمد", "Zé-Maria Jr."]
        {
            assert!(!has_symbols(name), "{name}");
        }
        for name in ["Maria 😊", "Bia 👩‍💻", "★ Cliente VIP ★", "Ana ✓", "Carlos 🇧🇷", "#1 Cliente", "Zé <3"]
        {
            assert!(has_symbols(name), "{name}");
        }
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("ALMOÇO"), fold("almoço"));
        assert_eq!(fold("Ação"), "acao");
        assert_eq!(fold("Éxito 👍"), "exito 👍");
    }

    #[test]
    fn one_line_drops_direction_characters() {
        assert_eq!(one_line("Eve\u{202E}gnp.exe"), "Evegnp.exe");
        for mark in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(one_line(&format!("Ana{mark} Silva")), "Ana Silva", "{:X}", mark as u32);
        }
        assert_eq!(one_line("\u{200E}Ana\u{200F}\u{061C}"), "Ana");
    }

    #[test]
    fn one_line_drops_zero_width_and_controls() {
        assert_eq!(one_line("A\u{200B}n\u{200C}a\u{200D}\u{2060}\u{FEFF}"), "Ana");
        assert_eq!(one_line("Ana\0 Maria\u{7}\u{1B}[31m"), "Ana Maria[31m");
        assert_eq!(one_line("Ana\u{AD}lia\u{85}"), "Analia");
        assert_eq!(one_line("\u{3164}\u{115F}"), "", "fillers that only look like a name");
        assert_eq!(one_line("Ana\u{E0041}\u{E0042}"), "Ana", "tag characters hide text");
    }

    #[test]
    fn one_line_makes_one_line_of_spaces_tabs_and_breaks() {
        assert_eq!(one_line("  Ana\tMaria\r\nda\u{2028}Silva\u{A0} "), "Ana Maria da Silva");
        assert_eq!(one_line("Ana \u{202E} Silva"), "Ana Silva");
        assert_eq!(one_line(" \t\n"), "");
    }

    #[test]
    fn one_line_keeps_accents_scripts_and_emoji() {
        assert_eq!(one_line("João Conceição Müller"), "João Conceição Müller");
        // Decomposed accents are composed, so searches by name find them.
        assert_eq!(one_line("Jose\u{301}"), "José");
        assert_eq!(one_line("محمد"), "محمد");
        assert_eq!(one_line("李小龍 Ñandú"), "李小龍 Ñandú");
        for emoji in ["👍", "👩‍💻", "👨‍👩‍👧", "👩🏽‍💻", "❤️‍🔥", "🏳️‍🌈", "🇧🇷", "1️⃣"]
        {
            assert_eq!(one_line(&format!("Bia {emoji}")), format!("Bia {emoji}"), "{emoji}");
        }
        // A joiner between letters, or dangling after an emoji, goes.
        assert_eq!(one_line("👍\u{200D}a"), "👍a");
        assert_eq!(one_line("a\u{200D}👍"), "a👍");
    }

    #[test]
    fn messages_keep_lines_and_tabs_never_controls() {
        assert_eq!(message("Olá\0 mundo"), "Olá mundo");
        assert_eq!(
            message(" linha 1\r\nlinha 2\rlinha 3\n\tfim \u{7}\u{1B}\u{7F}\u{9B}"),
            "linha 1\nlinha 2\nlinha 3\n\tfim"
        );
        assert_eq!(message("\0\n"), "");
        // Written text stays as written, direction characters included (shown isolated).
        assert_eq!(message("مرحبا \u{202E}abc 👩‍💻"), "مرحبا \u{202E}abc 👩‍💻");
    }
}
