package dev.sparkmoe.data.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import dev.sparkmoe.data.SkipReport;
import dev.sparkmoe.data.domainbed.DomainBedFolder;
import dev.sparkmoe.data.domainbed.DomainImages;
import dev.sparkmoe.data.domainbed.ImageBlock;
import dev.sparkmoe.data.domainbed.ImageOptions;
import dev.sparkmoe.data.domainbed.LodoSplit;
import dev.sparkmoe.data.glue.ConfusionMatrix;
import dev.sparkmoe.data.glue.GlueBatch;
import dev.sparkmoe.data.glue.GlueEvaluation;
import dev.sparkmoe.data.glue.GlueExample;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.data.glue.ScoreCorrelation;
import dev.sparkmoe.data.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every data-pipeline type that crosses a shuffle, a broadcast, a persisted block or a
 * task result, with explicit serializers (records and immutable types are written field by field
 * and rebuilt through their constructors, so no reflection on final fields; Kryo 4 cannot
 * serialise records otherwise). Exceptions: GLUE's mutable metric accumulators use Kryo's field
 * serializer, and the DomainBed driver-side values with private state (index, split, options,
 * in-memory dataset) use Java serialization, for broadcasts. Use with
 * {@code spark.serializer=org.apache.spark.serializer.KryoSerializer},
 * {@code spark.kryo.registrationRequired=true} and
 * {@code spark.kryo.registrator=dev.sparkmoe.data.spark.DataKryoRegistrator} (a comma-separated list
 * with the other modules' registrators). Spark calls it on the driver and on every executor when it
 * creates a Kryo instance.
 */
public class DataKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(float[].class);
        kryo.register(byte[].class);
        kryo.register(Object[].class);
        kryo.register(Boolean[].class);
        kryo.register(long[][].class);
        kryo.register(int[][].class);
        kryo.register(SkipReport.class, new SkipReportSerializer());
        kryo.register(Vocabulary.class, new VocabularySerializer());
        kryo.register(LineRange.class, new LineRangeSerializer());
        kryo.register(PieceIds.class, new PieceIdsSerializer());
        kryo.register(TokenBlocks.class, new TokenBlocksSerializer());
        kryo.register(TokenBatch.class, new TokenBatchSerializer());
        kryo.register(FeatureRow.class, new FeatureRowSerializer());
        kryo.register(FeatureBlocks.class, new FeatureBlocksSerializer());
        kryo.register(FeatureBatch.class, new FeatureBatchSerializer());
        kryo.register(LineChunk.class, new LineChunkSerializer());
        kryo.register(String[].class);
        registerDomainBed(kryo);
        registerGlue(kryo);
        for (Class<?> c : List.of(SkipReport.class, Vocabulary.class, LineRange.class, PieceIds.class,
                TokenBlocks.class, TokenBatch.class, FeatureRow.class, FeatureBlocks.class, FeatureBatch.class,
                LineChunk.class, ImageWork.class, ImageBlock.class, GlueExample.class, GlueBatch.class,
                GlueBlocks.class, GlueStepBatch.class, GluePredictions.class, GlueEvaluation.class)) {
            kryo.register(java.lang.reflect.Array.newInstance(c, 0).getClass());
        }
    }

    /**
     * DomainBed: the records moved by {@link DomainBedSpark} get explicit serializers; the
     * driver-side values an engine may broadcast (index, split, options, an in-memory dataset)
     * are {@code Serializable} classes with private state and go through Java serialization.
     */
    private static void registerDomainBed(Kryo kryo) {
        kryo.register(ImageWork.class, new ImageWorkSerializer());
        kryo.register(ImageBlock.class, new ImageBlockSerializer());
        kryo.register(LodoPart.class);
        for (Class<?> c : List.of(LodoSplit.class, ImageOptions.class, DomainBedFolder.class, DomainImages.class)) {
            kryo.register(c, new JavaSerializer());
        }
    }

    /**
     * GLUE: examples, batches and the {@link GlueBlockRDD} records get explicit serializers; the
     * mutable metric accumulators (plain final classes, no records) use Kryo's field serializer.
     */
    private static void registerGlue(Kryo kryo) {
        kryo.register(GlueTask.class);
        kryo.register(GlueSplit.class);
        kryo.register(GlueExample.class, new GlueExampleSerializer());
        kryo.register(GlueBatch.class, new GlueBatchSerializer());
        kryo.register(GlueBlocks.class, new GlueBlocksSerializer());
        kryo.register(GlueStepBatch.class, new GlueStepBatchSerializer());
        kryo.register(GluePredictions.class, new GluePredictionsSerializer());
        kryo.register(ConfusionMatrix.class);
        kryo.register(ScoreCorrelation.class);
        kryo.register(GlueEvaluation.class);
    }

    static final class ImageWorkSerializer extends Serializer<ImageWork> {
        @Override
        public void write(Kryo kryo, Output out, ImageWork w) {
            out.writeInt(w.domain(), true);
            writeInts(out, w.indices());
        }

        @Override
        public ImageWork read(Kryo kryo, Input in, Class<ImageWork> type) {
            return new ImageWork(in.readInt(true), readInts(in));
        }
    }

    static final class ImageBlockSerializer extends Serializer<ImageBlock> {
        @Override
        public void write(Kryo kryo, Output out, ImageBlock b) {
            out.writeInt(b.domain(), true);
            out.writeInt(b.channels(), true);
            out.writeInt(b.height(), true);
            out.writeInt(b.width(), true);
            writeInts(out, b.indices());
            writeInts(out, b.labels());
            writeFloats(out, b.pixels());
            kryo.writeObject(out, b.skips());
        }

        @Override
        public ImageBlock read(Kryo kryo, Input in, Class<ImageBlock> type) {
            return new ImageBlock(in.readInt(true), in.readInt(true), in.readInt(true), in.readInt(true), readInts(in),
                    readInts(in), readFloats(in), kryo.readObject(in, SkipReport.class));
        }
    }

    /** Rebuilt through the factory that matches the fields, so the factories' checks hold. */
    static final class GlueExampleSerializer extends Serializer<GlueExample> {
        @Override
        public void write(Kryo kryo, Output out, GlueExample e) {
            out.writeInt(e.index());
            out.writeString(e.textA());
            out.writeString(e.textB());
            out.writeInt(e.label());
            out.writeFloat(e.score());
        }

        @Override
        public GlueExample read(Kryo kryo, Input in, Class<GlueExample> type) {
            int index = in.readInt();
            String a = in.readString();
            String b = in.readString();
            int label = in.readInt();
            float score = in.readFloat();
            return label >= 0 ? GlueExample.classified(index, a, b, label)
                    : Float.isNaN(score) ? GlueExample.unlabelled(index, a, b) : GlueExample.scored(index, a, b, score);
        }
    }

    static final class GlueBatchSerializer extends Serializer<GlueBatch> {
        @Override
        public void write(Kryo kryo, Output out, GlueBatch b) {
            out.writeInt(b.batchSize(), true);
            out.writeInt(b.seqLength(), true);
            writeInts(out, b.tokenIds());
            writeInts(out, b.mask());
            writeInts(out, b.segments());
            writeInts(out, b.lengths());
            writeInts(out, b.labels());
            writeFloats(out, b.scores());
            writeInts(out, b.indices());
        }

        @Override
        public GlueBatch read(Kryo kryo, Input in, Class<GlueBatch> type) {
            return new GlueBatch(in.readInt(true), in.readInt(true), readInts(in), readInts(in), readInts(in),
                    readInts(in), readInts(in), readFloats(in), readInts(in));
        }
    }

    static final class GlueBlocksSerializer extends Serializer<GlueBlocks> {
        @Override
        public void write(Kryo kryo, Output out, GlueBlocks b) {
            out.writeLong(b.firstRow(), true);
            kryo.writeObject(out, b.rows());
        }

        @Override
        public GlueBlocks read(Kryo kryo, Input in, Class<GlueBlocks> type) {
            return new GlueBlocks(in.readLong(true), kryo.readObject(in, GlueBatch.class));
        }
    }

    static final class GlueStepBatchSerializer extends Serializer<GlueStepBatch> {
        @Override
        public void write(Kryo kryo, Output out, GlueStepBatch b) {
            out.writeInt(b.partition(), true);
            out.writeInt(b.globalBatch(), true);
            writeInts(out, b.rows());
            writeInts(out, b.positions());
            kryo.writeObject(out, b.batch());
        }

        @Override
        public GlueStepBatch read(Kryo kryo, Input in, Class<GlueStepBatch> type) {
            return new GlueStepBatch(in.readInt(true), in.readInt(true), readInts(in), readInts(in),
                    kryo.readObject(in, GlueBatch.class));
        }
    }

    static final class GluePredictionsSerializer extends Serializer<GluePredictions> {
        @Override
        public void write(Kryo kryo, Output out, GluePredictions p) {
            out.writeLong(p.firstRow(), true);
            writeInts(out, p.labels());
            writeFloats(out, p.scores());
        }

        @Override
        public GluePredictions read(Kryo kryo, Input in, Class<GluePredictions> type) {
            return new GluePredictions(in.readLong(true), readInts(in), readFloats(in));
        }
    }

    static final class SkipReportSerializer extends Serializer<SkipReport> {
        @Override
        public void write(Kryo kryo, Output out, SkipReport r) {
            out.writeInt(r.counts().size(), true);
            for (Map.Entry<String, Long> e : r.counts().entrySet()) {
                out.writeString(e.getKey());
                out.writeLong(e.getValue(), true);
                out.writeString(r.firstPlace(e.getKey()));
            }
        }

        @Override
        public SkipReport read(Kryo kryo, Input in, Class<SkipReport> type) {
            int n = in.readInt(true);
            Map<String, Long> counts = new TreeMap<>();
            Map<String, String> places = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String reason = in.readString();
                counts.put(reason, in.readLong(true));
                String place = in.readString();
                if (place != null) {
                    places.put(reason, place);
                }
            }
            return new SkipReport(counts, places);
        }
    }

    static final class VocabularySerializer extends Serializer<Vocabulary> {
        @Override
        public void write(Kryo kryo, Output out, Vocabulary v) {
            out.writeInt(v.size(), true);
            for (int i = 0; i < v.size(); i++) {
                out.writeString(v.token(i));
            }
        }

        @Override
        public Vocabulary read(Kryo kryo, Input in, Class<Vocabulary> type) {
            int n = in.readInt(true);
            List<String> tokens = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tokens.add(in.readString());
            }
            return Vocabulary.of(tokens);
        }
    }

    static final class LineRangeSerializer extends Serializer<LineRange> {
        @Override
        public void write(Kryo kryo, Output out, LineRange r) {
            out.writeInt(r.index(), true);
            out.writeLong(r.start(), true);
            out.writeLong(r.end(), true);
        }

        @Override
        public LineRange read(Kryo kryo, Input in, Class<LineRange> type) {
            return new LineRange(in.readInt(true), in.readLong(true), in.readLong(true));
        }
    }

    static final class PieceIdsSerializer extends Serializer<PieceIds> {
        @Override
        public void write(Kryo kryo, Output out, PieceIds p) {
            out.writeInt(p.piece(), true);
            out.writeInt(p.length(), true);
            writeInts(out, p.ids());
            out.writeLong(p.unknown(), true);
            out.writeLong(p.lines(), true);
            out.writeLong(p.paragraphs(), true);
            kryo.writeObject(out, p.skips());
        }

        @Override
        public PieceIds read(Kryo kryo, Input in, Class<PieceIds> type) {
            return new PieceIds(in.readInt(true), in.readInt(true), readInts(in), in.readLong(true),
                    in.readLong(true), in.readLong(true), kryo.readObject(in, SkipReport.class));
        }
    }

    static final class TokenBlocksSerializer extends Serializer<TokenBlocks> {
        @Override
        public void write(Kryo kryo, Output out, TokenBlocks b) {
            out.writeLong(b.firstBlock(), true);
            out.writeInt(b.count(), true);
            out.writeInt(b.seqLen(), true);
            writeInts(out, b.ids());
        }

        @Override
        public TokenBlocks read(Kryo kryo, Input in, Class<TokenBlocks> type) {
            return new TokenBlocks(in.readLong(true), in.readInt(true), in.readInt(true), readInts(in));
        }
    }

    static final class TokenBatchSerializer extends Serializer<TokenBatch> {
        @Override
        public void write(Kryo kryo, Output out, TokenBatch b) {
            out.writeInt(b.partition(), true);
            out.writeInt(b.globalBatch(), true);
            writeInts(out, b.rows());
            writeInts(out, b.blocks());
            out.writeInt(b.seqLen(), true);
            writeInts(out, b.ids());
        }

        @Override
        public TokenBatch read(Kryo kryo, Input in, Class<TokenBatch> type) {
            return new TokenBatch(in.readInt(true), in.readInt(true), readInts(in), readInts(in), in.readInt(true),
                    readInts(in));
        }
    }

    static final class FeatureRowSerializer extends Serializer<FeatureRow> {
        @Override
        public void write(Kryo kryo, Output out, FeatureRow r) {
            writeFloats(out, r.x());
            out.writeInt(r.label());
            out.writeInt(r.domain());
        }

        @Override
        public FeatureRow read(Kryo kryo, Input in, Class<FeatureRow> type) {
            return new FeatureRow(readFloats(in), in.readInt(), in.readInt());
        }
    }

    static final class FeatureBlocksSerializer extends Serializer<FeatureBlocks> {
        @Override
        public void write(Kryo kryo, Output out, FeatureBlocks b) {
            out.writeLong(b.firstRow(), true);
            out.writeInt(b.count(), true);
            out.writeInt(b.width(), true);
            writeFloats(out, b.x());
            writeInts(out, b.labels());
            writeInts(out, b.domains());
        }

        @Override
        public FeatureBlocks read(Kryo kryo, Input in, Class<FeatureBlocks> type) {
            return new FeatureBlocks(in.readLong(true), in.readInt(true), in.readInt(true), readFloats(in),
                    readInts(in), readInts(in));
        }
    }

    static final class FeatureBatchSerializer extends Serializer<FeatureBatch> {
        @Override
        public void write(Kryo kryo, Output out, FeatureBatch b) {
            out.writeInt(b.partition(), true);
            out.writeInt(b.globalBatch(), true);
            writeInts(out, b.rows());
            writeInts(out, b.indices());
            out.writeInt(b.width(), true);
            writeFloats(out, b.x());
            writeInts(out, b.labels());
            writeInts(out, b.domains());
        }

        @Override
        public FeatureBatch read(Kryo kryo, Input in, Class<FeatureBatch> type) {
            return new FeatureBatch(in.readInt(true), in.readInt(true), readInts(in), readInts(in), in.readInt(true),
                    readFloats(in), readInts(in), readInts(in));
        }
    }

    static final class LineChunkSerializer extends Serializer<LineChunk> {
        @Override
        public void write(Kryo kryo, Output out, LineChunk c) {
            out.writeInt(c.files().length, true);
            for (String f : c.files()) {
                out.writeString(f);
            }
            writeInts(out, c.fileOf());
            out.writeInt(c.rows().length, true);
            out.writeLongs(c.rows());
            writeInts(out, c.starts());
            writeInts(out, c.lengths());
            out.writeInt(c.data().length, true);
            out.writeBytes(c.data());
        }

        @Override
        public LineChunk read(Kryo kryo, Input in, Class<LineChunk> type) {
            String[] files = new String[in.readInt(true)];
            for (int i = 0; i < files.length; i++) {
                files[i] = in.readString();
            }
            int[] fileOf = readInts(in);
            long[] rows = in.readLongs(in.readInt(true));
            return new LineChunk(files, fileOf, rows, readInts(in), readInts(in), in.readBytes(in.readInt(true)));
        }
    }

    private static void writeInts(Output out, int[] a) {
        out.writeInt(a.length, true);
        out.writeInts(a);
    }

    private static int[] readInts(Input in) {
        return in.readInts(in.readInt(true));
    }

    private static void writeFloats(Output out, float[] a) {
        out.writeInt(a.length, true);
        out.writeFloats(a);
    }

    private static float[] readFloats(Input in) {
        return in.readFloats(in.readInt(true));
    }
}
