/**
 * DomainBed data: the folder datasets (PACS, VLCS, OfficeHome, TerraIncognita, DomainNet), the
 * constructed ones (RotatedMNIST, ColoredMNIST, and RotatedDigits, the embedded default), MNIST's
 * IDX format, and leave-one-domain-out splits with training-domain validation.
 *
 * <h2>What a DomainBed job calls</h2>
 * <pre>{@code
 * DomainBedFolder index = DomainBedFolder.open(root, "PACS", conf, strict);   // driver, lists files only
 * DomainImages data = index.load(ImageOptions.DEFAULT, conf, strict);         // or index.decode(d, i, ...) on executors
 * // or, with no data argument: DomainImages data = EmbeddedDomainBed.rotatedDigits();
 * LodoSplit split = LodoSplit.of(data.domainSizes(), testDomain, 0.2, seed);
 * for (int d : split.trainDomains()) {
 *     float[] x = data.block(d, batchIndices);   // [B, C, H, W] from split.train(d)
 *     int[] y = data.labels(d, batchIndices);    // [B]
 * }
 * // model selection on split.val(d) of the training domains, report on split.test(testDomain):
 * TrainingDomainSelection.Selected best = TrainingDomainSelection.select(evaluations);  // one per checkpoint
 * table.add(router, testDomain, best.testAccuracy());   // DomainBedTable.builder(name, data.domains())
 *
 * // or all of the loading in one call, from settings:
 * DomainImages data = DomainBedSources.load(DomainBedSources.Request.of("PACS", root).withImageSize(64), conf);
 *
 * // datasets too large for one heap: ship the (serialisable) index, decode batches in tasks
 * ImageBlock b = index.decodeBlock(d, batchIndices, new ImageDecoder(ImageOptions.DEFAULT), conf, strict);
 * }</pre>
 * Split the index's {@code domainSizes()} when decoding on executors, the loaded data's when
 * using {@code load} (bad images are dropped there, which shifts indices).
 *
 * <h2>Glossary</h2>
 * Shape symbols: {@code B} images in a block, {@code C} channels, {@code H} height, {@code W} width.
 * <ul>
 *   <li><b>domain</b> (DomainBed: environment): an index into {@code domains()}; for folder
 *       datasets the sorted domain-folder names, for constructed ones DomainBed's environment
 *       order ({@code 0, 15, ..., 75}; {@code +90%, +80%, -90%}).</li>
 *   <li><b>label</b>: an index into {@code classes()}, the sorted union of class-folder names
 *       over all domains (digits {@code 0..9}; ColoredMNIST {@code 0, 1}).</li>
 *   <li><b>image</b>: {@code float[C·H·W]}, channel-major; <b>block</b>: {@code float[B·C·H·W]},
 *       images one after another.</li>
 *   <li><b>split</b>: per domain, sorted train / val / test example indices
 *       ({@link dev.sparkmoe.data.domainbed.LodoSplit}).</li>
 * </ul>
 *
 * <h2>Decisions where DomainBed or the issue left room</h2>
 * <ul>
 *   <li>Resizing is plain bilinear with half-pixel centres and no antialiasing
 *       ({@link dev.sparkmoe.data.domainbed.ImageResize}); DomainBed's Pillow resize antialiases
 *       when shrinking, so downscaled pixels differ slightly. Normalisation defaults to
 *       ImageNet's mean/std at 224×224 (DomainBed's evaluation transform); no augmentation.</li>
 *   <li>Rotation is bit-exact with Pillow's {@code rotate} (tested against Pillow 9.4 output),
 *       bicubic as DomainBed's RotatedMNIST uses; bilinear is available.</li>
 *   <li>ColoredMNIST stays 2×28×28: DomainBed's source keeps the 14×14 subsampling commented
 *       out and declares {@code input_shape = (2, 28, 28)}. Its images are {@code v/255} with no
 *       mean/std normalisation, as in DomainBed.</li>
 *   <li>Random draws come from seeded {@link java.util.SplittableRandom}s
 *       ({@link dev.sparkmoe.data.DataSeeds}), not torch's generator: same construction,
 *       different (but deterministic) draws.</li>
 *   <li>The test domain is tested in full; DomainBed also splits it into in/out parts, which
 *       only test-domain model selection needs.</li>
 *   <li>The digits' {@code 0..16} pixels become {@code round(v·255/16)} bytes so that RotatedDigits
 *       goes through exactly the MNIST pipeline.</li>
 * </ul>
 */
package dev.sparkmoe.data.domainbed;
