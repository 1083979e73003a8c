/**
 * GLUE: the nine tasks (plus the diagnostic set AX) in their original TSV layouts and in the
 * hubs' parquet export, their official metrics, the submission files, model input encoding,
 * and the default CoLA-format task built from LanguageTool's grammar examples.
 *
 * <p>What a GLUE fine-tune / evaluation job calls, on the driver:
 * <pre>{@code
 * GlueTask task = GlueTask.of(name);                                  // unknown name: lists the valid ones
 * GlueTaskData data = GlueTaskData.load(task, dataDir, conf, strict); // dataDir null: the embedded CoLA-format task
 * out.println(data.summary());                                        // sizes and skip reports per split
 * GlueTokenization tok = GlueTokenization.fromRunDirectory(pretrainRun, 128, conf); // its vocab.txt, WikiText tokenizer
 * GlueBatch batch = tok.encode(data.split(GlueSplit.TRAIN).examples(), from, to);   // int[B·S] ids, mask, segments
 * tok.counts();                                                       // truncated examples, <unk> tokens
 * GlueResults r = GlueResults.ofLabels(task, GlueSplit.DEV, dev.examples(), predicted); // ofScores for STS-B
 * r.metrics();                                                        // {"mcc": ...}, {"f1":..., "accuracy":...}
 * GlueResults.ofLabels(task, GlueSplit.TEST, test.examples(), predicted).writeSubmission(outDir, conf); // CoLA.tsv
 * }</pre>
 * For MNLI, GLUE's diagnostic set is {@code GlueTask.AX}, predicted with the MNLI model.
 * Without a pretrained model, {@link dev.sparkmoe.data.glue.GlueEncoder#buildVocabulary} builds a
 * vocabulary from the training split.
 *
 * <p>Label ids follow the dataset hubs' order ({@link dev.sparkmoe.data.glue.GlueTask#labels()});
 * bad rows are skipped and counted by reason (or fatal in strict mode), as everywhere in
 * {@code dev.sparkmoe.data}.
 */
package dev.sparkmoe.data.glue;
