/**
 * WikiText-2/103 folders ({@code wiki.{train,valid,test}.{tokens,raw}}) on any Hadoop file
 * system: {@link dev.sparkmoe.data.wikitext.WikiTextCorpus} (structure, vocabulary, token-id
 * stream), {@link dev.sparkmoe.data.wikitext.WikiTextStructure} (articles → sections →
 * paragraphs) and the corpus shipped in the jar, {@link dev.sparkmoe.data.wikitext.EmbeddedCorpus}.
 */
package dev.sparkmoe.data.wikitext;
