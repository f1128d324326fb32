//! The index's word cutter for callers outside the index: person–job matching scores a
//! seeker's major and skills against posts by BM25 over the very words the index ranks by.

use tantivy::tokenizer::TokenStream;

use crate::schema::jieba_analyzer;

/// The jieba words of `text`, lowercased, as the index cuts titles and descriptions (search
/// mode: 计算机 gives 计算, 算机 and 计算机), leaving out spaces and punctuation.
pub fn words(text: &str) -> Vec<String> {
    let mut analyzer = jieba_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        let token = stream.token();
        if token.text.chars().any(char::is_alphanumeric) {
            words.push(token.text.clone());
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_index_s_jieba_words_lowercased_without_punctuation() {
        let cut = words("熟练使用 Excel，会计电算化");
        assert!(cut.contains(&"excel".to_owned()), "{cut:?}");
        assert!(cut.contains(&"会计".to_owned()), "{cut:?}");
        assert!(
            !cut.iter().any(|w| w == "，" || w.trim().is_empty()),
            "{cut:?}"
        );
    }
}
