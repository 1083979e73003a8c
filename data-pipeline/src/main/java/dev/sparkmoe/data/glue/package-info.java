/**
 * GLUE: the nine tasks (plus the diagnostic set AX) in their original TSV layouts and in the
 * hubs' parquet export, their official metrics, the submission files, model input encoding,
 * and the default CoLA-format task built from LanguageTool's grammar examples.
 *
 * <p>What a GLUE fine-tune / evaluation job calls, on the driver:
 * <pre>{@code
 * GlueTask task = GlueTask.of(name);                                  // unknown name: lists the valid ones
 * Path root = dataDir != null ? dataDir : EmbeddedGlue.localPath();   // real GLUE, or the embedded CoLA-format task
 * GlueData train = GlueTsvReader.read(root, task, GlueSplit.TRAIN, conf, strict);
 * Vocabulary vocab = GlueEncoder.buildVocabulary(train.examples(), WikiTextTokenizer.INSTANCE, 30_000, 2);
 * GlueEncoder enc = new GlueEncoder(vocab, WikiTextTokenizer.INSTANCE, 128);
 * GlueBatch batch = enc.encode(train.examples(), from, to);           // int[B·S] ids, mask, segments
 * GlueEvaluation eval = new GlueEvaluation(task, GlueSplit.DEV);      // per partition, then merge
 * eval.add(gold, predicted); eval.metrics();                          // {"mcc": ...}, {"f1":..., "accuracy":...}
 * GlueSubmission.write(outDir, task, GlueSplit.TEST, indices, predictedLabels, conf);
 * }</pre>
 *
 * <p>Label ids follow the dataset hubs' order ({@link dev.sparkmoe.data.glue.GlueTask#labels()});
 * bad rows are skipped and counted by reason (or fatal in strict mode), as everywhere in
 * {@code dev.sparkmoe.data}.
 */
package dev.sparkmoe.data.glue;
