/**
 * The run report: {@code spark-moe report RUN_DIR}, and {@link dev.sparkmoe.driver.report.RunReport#write}
 * at the end of a training run. Reads a run directory's {@code metrics.jsonl},
 * {@code events.jsonl} and {@code config.conf} through Hadoop's FileSystem and writes
 * {@code RUN_DIR/report/report.html} with PNG charts drawn by XChart: loss (train raw and
 * smoothed, validation), live experts per layer with controller events, activated experts per
 * token (distribution and mean), expert load heat maps per layer, and step time (by stage when
 * recorded), plus a summary and the controller events table. Driver side only; no tensor math.
 */
package dev.sparkmoe.driver.report;
