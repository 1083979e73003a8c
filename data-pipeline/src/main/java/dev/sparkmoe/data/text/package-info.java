/**
 * Tokenizers and vocabularies over UTF-8 bytes: {@link dev.sparkmoe.data.text.WikiTextTokenizer}
 * for raw text, {@link dev.sparkmoe.data.text.WhitespaceTokenizer} for already tokenized text,
 * {@link dev.sparkmoe.data.text.VocabularyBuilder} → {@link dev.sparkmoe.data.text.Vocabulary}
 * (special ids 0..5). Tokens flow through {@link dev.sparkmoe.data.text.TokenSink} as byte ranges,
 * so the hot path creates no object per token. Only the vocabulary file I/O needs Hadoop.
 */
package dev.sparkmoe.data.text;
