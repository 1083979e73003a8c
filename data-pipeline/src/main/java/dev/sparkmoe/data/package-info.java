/**
 * Readers, tokenizers, vocabularies, sequence packing and converters of the real datasets.
 *
 * <h2>Glossary (shared with the other modules)</h2>
 * Shape symbols: {@code S} sequence length (tokens a model sees per sequence), {@code B}
 * sequences in a batch, {@code V} vocabulary size.
 * <ul>
 *   <li><b>token id</b>: an {@code int} in {@code [0, V)}; ids 0..5 are the special tokens
 *       {@code <pad> <unk> <eos> <cls> <sep> <mask>} in that order
 *       ({@link dev.sparkmoe.data.text.Vocabulary}).</li>
 *   <li><b>token stream</b>: the ids of one split in file order, an {@code int[]}; every
 *       non-blank line (heading or paragraph) contributes its tokens then one {@code <eos>}
 *       ({@link dev.sparkmoe.data.wikitext.WikiTextCorpus#tokenIds}).</li>
 *   <li><b>block</b>: {@code S + 1} consecutive ids of a token stream; block {@code k} starts
 *       at {@code k·S}, so inputs {@code [0, S)} of consecutive blocks never overlap and
 *       targets are the inputs shifted by one ({@link dev.sparkmoe.data.lm.SequencePacker}).</li>
 *   <li><b>batch</b>: {@code int[B][S + 1]}, a deterministic function of {@code (seed, step)}.</li>
 *   <li><b>skip</b>: a record a reader did not use, counted by reason with the first place
 *       it happened ({@link dev.sparkmoe.data.SkipCounter}, {@link dev.sparkmoe.data.SkipReport});
 *       in strict mode the first skip is an error naming file and line.</li>
 * </ul>
 *
 * <h2>Paths</h2>
 * Every file is opened through Hadoop's {@code FileSystem} so that {@code file://},
 * {@code hdfs://} and {@code s3a://} paths work alike.
 */
package dev.sparkmoe.data;
