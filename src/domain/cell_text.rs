//! Text for a spreadsheet cell. A cell whose text starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return is read as a formula by spreadsheet programs (CSV injection):
//! such text is written with a leading apostrophe, which they show as plain text.

/// Whether spreadsheet programs could read the text as a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The text as a cell may hold it: a formula-looking text behind an apostrophe.
pub fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_kept() {
        for text in ["=1+1", "+55 11", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(text), format!("'{text}"));
        }
        for text in ["Maria", "", "a=b", "ação"] {
            assert_eq!(neutralised(text), text);
        }
    }
}
