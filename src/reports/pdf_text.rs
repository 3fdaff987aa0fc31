//! Text for the PDF's built-in Helvetica, whose WinAnsi encoding holds every letter of
//! Portuguese and Spanish but no emoji, arrows or other scripts: what it cannot draw is
//! replaced visibly (`[emoji]`, `[?]`) and the page says so, never dropped; and lines
//! are wrapped by Helvetica's own widths, long words and addresses cut where they must.

use unicode_normalization::UnicodeNormalization;

/// What stands for a run of emoji, and for any other run of characters not drawn.
pub const EMOJI: &str = "[emoji]";
pub const UNDRAWN: &str = "[?]";

/// Whether WinAnsi (PDF 32000-1 Annex D.2) has the character: ASCII, Latin-1 and the
/// typographic punctuation of 0x80–0x9F.
pub fn win_ansi(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0xFF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

fn emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D | 0xE0020..=0xE007F)
}

/// The text as the font can draw it (composed accents, tabs as spaces, other control
/// characters dropped), and whether anything had to be replaced.
pub fn drawable(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let (mut run, mut run_emoji, mut replaced) = (false, false, false);
    let close = |out: &mut String, run: &mut bool, run_emoji: &mut bool| {
        if *run {
            out.push_str(if *run_emoji { EMOJI } else { UNDRAWN });
        }
        (*run, *run_emoji) = (false, false);
    };
    for c in text.nfc() {
        let c = if c == '\t' { ' ' } else { c };
        if c.is_control() {
            continue;
        }
        if win_ansi(c) {
            close(&mut out, &mut run, &mut run_emoji);
            out.push(c);
        } else {
            (run, replaced) = (true, true);
            run_emoji |= emoji(c);
        }
    }
    close(&mut out, &mut run, &mut run_emoji);
    (out, replaced)
}

/// Helvetica's advance widths of ASCII 0x20–0x7E, in thousandths of the font size.
const ASCII_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p … ~
];

/// The width of one character: its own for ASCII, its base letter's for an accented
/// one (`ã` as `a`), and a wide letter's for the rest, so a line never overflows.
fn char_width(c: char) -> f32 {
    let base = if c.is_ascii() { c } else { c.nfd().next().unwrap_or(c) };
    match base as u32 {
        cp @ 0x20..=0x7E => f32::from(ASCII_WIDTHS[(cp - 0x20) as usize]),
        _ => match c {
            'Æ' | 'Œ' | '—' | '…' | '‰' | '™' => 1000.0,
            'æ' | 'œ' => 944.0,
            _ => 667.0,
        },
    }
}

/// The width of a text at `size` points, in points; bold is drawn a little wider.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let w: f32 = text.chars().map(char_width).sum();
    w / 1000.0 * size * if bold { 1.08 } else { 1.0 }
}

/// The text in lines no wider than `max` points: words kept whole when they fit, a
/// word longer than a line (an address, a code) cut into pieces that do.
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                if !line.is_empty() && width(&line, size, bold) + width(&c.to_string(), size, bold) > max {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portuguese_and_spanish_letters_are_drawn_and_emoji_replaced_visibly() {
        let pt = "Atenção: não há cobrança, é só açúcar — ÁÉÍÓÚ âêô à ü ñ ¿¡ ºª €";
        assert_eq!(drawable(pt), (pt.to_string(), false));
        // A decomposed accent (e + U+0301) is composed first.
        assert_eq!(drawable("Jose\u{301}").0, "José");
        assert_eq!(drawable("Obrigado 👍🏽!"), ("Obrigado [emoji]!".to_string(), true));
        assert_eq!(drawable("família 👨‍👩‍👧 ok"), ("família [emoji] ok".to_string(), true));
        assert_eq!(drawable("Привет → x"), ("[?] [?] x".to_string(), true));
        assert_eq!(drawable("a\tb\u{7}c"), ("a bc".to_string(), false));
    }

    #[test]
    fn long_lines_wrap_at_words_and_long_words_are_cut() {
        let lines = wrap("um dois três quatro cinco seis sete oito", 10.0, false, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 10.0, false) <= 60.0), "{lines:?}");
        assert_eq!(lines.join(" "), "um dois três quatro cinco seis sete oito");
        let url = "https://exemplo.com.br/pedidos/2026/segunda-via-do-boleto?id=1234567890";
        let cut = wrap(url, 10.0, false, 100.0);
        assert!(cut.len() > 2 && cut.iter().all(|l| width(l, 10.0, false) <= 100.0));
        assert_eq!(cut.concat(), url);
        assert_eq!(wrap("a\nb", 10.0, false, 100.0), ["a", "b"]);
    }
}
