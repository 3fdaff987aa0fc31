//! Comparing what people type: case- and accent-insensitive ("Ação" = "acao").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case without diacritics, for comparisons (never for display).
pub fn fold(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("ALMOÇO"), fold("almoço"));
        assert_eq!(fold("Ação"), "acao");
        assert_eq!(fold("Éxito 👍"), "exito 👍");
    }
}
