/**
 * Loading the datasets into Spark: each dataset becomes an RDD of a few large arrays per data
 * partition, evenly partitioned, with a per-step sample that is a pure function of
 * {@code (seed, step)}. Nothing here needs a whole corpus in driver memory.
 *
 * <h2>Language modelling (WikiText)</h2>
 * <pre>{@code
 * // driver, once per run (each call starts jobs and blocks)
 * WikiTextSource<?> src = WikiTextTextSource.open(jsc, corpus.file(TRAIN), pieces);   // or WikiTextParquet.open(...)
 * Vocabulary vocab = WikiTextSpark.buildVocabulary(src, tokenizer, options, maxSize, minFreq);
 * TokenBlockRDD data = WikiTextSpark.tokenBlocks(src, tokenizer, options, vocab, S, P);
 * report(data.skips());
 * // driver, every step (no job until the engine runs one)
 * JavaRDD<TokenBatch> batch = data.batch(seed, step, B);   // one TokenBatch per data partition
 * }</pre>
 * <ul>
 *   <li><b>piece</b>: a slice of a line stream read by one task (a byte range of a text file, or a
 *       sorted range of parquet rows); pieces in order are the corpus in order
 *       ({@link dev.sparkmoe.data.spark.WikiTextSource}).</li>
 *   <li><b>blocks</b>: the {@code n = floor((N-1)/S)} blocks of {@code S + 1} ids of
 *       {@link dev.sparkmoe.data.lm.SequencePacker}, data partition {@code p} holding blocks
 *       {@code [floor(p·n/P), floor((p+1)·n/P))} in one {@code int[]}
 *       ({@link dev.sparkmoe.data.spark.TokenBlocks}, {@link dev.sparkmoe.data.spark.EvenLayout}).</li>
 *   <li><b>sample of a step</b>: the rows of {@code SequencePacker.batchBlocks(seed, step, B)},
 *       each served by the partition that holds its block
 *       ({@link dev.sparkmoe.data.spark.BlockSampler}).</li>
 * </ul>
 *
 * <h2>Features (DomainBed images)</h2>
 * {@link dev.sparkmoe.data.spark.FeatureBlockRDD#of} turns an RDD of decoded
 * {@link dev.sparkmoe.data.spark.FeatureRow}s ({@code float[W]}, label, domain) into the same
 * even layout ({@link dev.sparkmoe.data.spark.FeatureBlocks}: {@code float[count·W]} per
 * partition) with the same sampler.
 *
 * <p>{@link dev.sparkmoe.data.spark.DomainBedSpark} builds a leave-one-domain-out part
 * ({@link dev.sparkmoe.data.spark.LodoPart}) as a {@code FeatureBlockRDD}: from decoded images in
 * driver memory, or, for folder datasets too large for the driver, by shipping
 * {@code (domain, indices)} work lists so that executors decode the images themselves; both
 * give the same rows in (domain, index) order.
 *
 * <h2>GLUE</h2>
 * {@link dev.sparkmoe.data.spark.GlueBlockRDD}: encoded examples ({@code [CLS] a [SEP] b [SEP]})
 * in evenly partitioned blocks with the same {@code (seed, step)} sampling, chunks for batch
 * inference, and evaluation accumulators merged in partition order.
 *
 * <h2>Serialization</h2>
 * Register {@link dev.sparkmoe.data.spark.DataKryoRegistrator}; every Spark test here runs with
 * {@code spark.kryo.registrationRequired=true}.
 */
package dev.sparkmoe.data.spark;
