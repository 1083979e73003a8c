package dev.sparkmoe.worker.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.sparkmoe.worker.engine.ExpertOutputBlock;
import dev.sparkmoe.worker.engine.ExpertState;
import dev.sparkmoe.worker.engine.DenseSnapshot;
import dev.sparkmoe.worker.engine.ExpertGradNorms;
import dev.sparkmoe.worker.engine.PartitionResult;
import dev.sparkmoe.routing.RoutingRecord;
import dev.sparkmoe.worker.engine.TokenBlock;
import org.apache.spark.serializer.KryoRegistrator;

import java.util.List;

/**
 * Registers every engine type that crosses a shuffle, a replicated or persisted block, or a task
 * result, with explicit serializers for the records (Kryo 4 cannot serialise records by
 * default): each is written field by field and rebuilt through its canonical constructor, so its
 * checks hold on the receiving side. Arrays of each type are registered too (task results of
 * {@code collect}).
 *
 * <p>Spark calls it on the driver and on every executor when it creates a Kryo instance. Use
 * with {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} and
 * {@code spark.kryo.registrationRequired=true}. The worker module cannot see the data-pipeline's
 * {@code DataKryoRegistrator}, so the driver configures both:
 * {@code spark.kryo.registrator=dev.sparkmoe.data.spark.DataKryoRegistrator,dev.sparkmoe.worker.spark.EngineKryoRegistrator}
 * (Spark accepts a comma-separated list and applies them in order; registering a class twice,
 * such as {@code float[]}, is harmless).
 */
public class EngineKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(float[].class);
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(Object[].class);
        kryo.register(ExpertKey.class, new ExpertKeySerializer());
        kryo.register(ExpertState.class, new ExpertStateSerializer());
        kryo.register(TokenBlock.class, new TokenBlockSerializer());
        kryo.register(ExpertOutputBlock.class, new ExpertOutputBlockSerializer());
        for (Class<?> c : List.of(ExpertKey.class, ExpertState.class, TokenBlock.class, ExpertOutputBlock.class)) {
            kryo.register(java.lang.reflect.Array.newInstance(c, 0).getClass());
        }
        // Plain final classes (not records), so Kryo's field serializer handles them: the dense
        // snapshot (broadcast) and the step's task results (collected).
        kryo.register(double[].class);
        kryo.register(float[][].class);
        kryo.register(int[][].class);
        kryo.register(long[][].class);
        kryo.register(DenseSnapshot.class);
        kryo.register(PartitionResult.class);
        kryo.register(boolean[].class);
        kryo.register(dev.sparkmoe.worker.train.SentenceExamples.class);   // broadcast example sets
        kryo.register(dev.sparkmoe.worker.train.ImageExamples.class);
        kryo.register(ExpertGradNorms.class);
        kryo.register(RoutingRecord.class);
        kryo.register(RoutingRecord[].class);
        // Replicating a cached block (the experts RDD is MEMORY_ONLY_2) sends (StorageLevel,
        // ClassTag) through Kryo first; unregistered, every replication fails with only a warning
        // and a lost executor takes the only copy with it.
        kryo.register(org.apache.spark.storage.StorageLevel.class);
        for (String tag : List.of("scala.reflect.ManifestFactory$ObjectManifest", "scala.reflect.ClassTag$GenericClassTag")) {
            try {
                kryo.register(Class.forName(tag));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Scala runtime class " + tag + " not found: is this Scala 2.12?", e);
            }
        }
    }

    static final class ExpertKeySerializer extends Serializer<ExpertKey> {
        ExpertKeySerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, ExpertKey k) {
            out.writeInt(k.layer(), true);
            out.writeInt(k.id(), true);
        }

        @Override
        public ExpertKey read(Kryo kryo, Input in, Class<ExpertKey> type) {
            return new ExpertKey(in.readInt(true), in.readInt(true));
        }
    }

    static final class ExpertStateSerializer extends Serializer<ExpertState> {
        @Override
        public void write(Kryo kryo, Output out, ExpertState s) {
            out.writeInt(s.layer(), true);
            out.writeInt(s.id(), true);
            out.writeInt(s.dModel(), true);
            out.writeInt(s.ffnDim(), true);
            writeFloats(out, s.weights());
            writeFloats(out, s.biases());
            writeFloats(out, s.weightsM());
            writeFloats(out, s.weightsV());
            writeFloats(out, s.biasesM());
            writeFloats(out, s.biasesV());
        }

        @Override
        public ExpertState read(Kryo kryo, Input in, Class<ExpertState> type) {
            return new ExpertState(in.readInt(true), in.readInt(true), in.readInt(true), in.readInt(true),
                    readFloats(in), readFloats(in), readFloats(in), readFloats(in), readFloats(in), readFloats(in));
        }
    }

    static final class TokenBlockSerializer extends Serializer<TokenBlock> {
        @Override
        public void write(Kryo kryo, Output out, TokenBlock b) {
            out.writeInt(b.sourcePartition(), true);
            out.writeInt(b.layer(), true);
            out.writeInt(b.expertId(), true);
            out.writeInt(b.dModel(), true);
            out.writeInt(b.tokenIndex().length, true);
            out.writeInts(b.tokenIndex());
            writeFloats(out, b.rows());
        }

        @Override
        public TokenBlock read(Kryo kryo, Input in, Class<TokenBlock> type) {
            int source = in.readInt(true);
            int layer = in.readInt(true);
            int expert = in.readInt(true);
            int d = in.readInt(true);
            int[] tokens = in.readInts(in.readInt(true));
            return new TokenBlock(source, layer, expert, tokens, readFloats(in), d);
        }
    }

    static final class ExpertOutputBlockSerializer extends Serializer<ExpertOutputBlock> {
        @Override
        public void write(Kryo kryo, Output out, ExpertOutputBlock b) {
            out.writeInt(b.sourcePartition(), true);
            out.writeInt(b.layer(), true);
            out.writeInt(b.expertId(), true);
            out.writeInt(b.dModel(), true);
            writeFloats(out, b.rows());
        }

        @Override
        public ExpertOutputBlock read(Kryo kryo, Input in, Class<ExpertOutputBlock> type) {
            int source = in.readInt(true);
            int layer = in.readInt(true);
            int expert = in.readInt(true);
            int d = in.readInt(true);
            return new ExpertOutputBlock(source, layer, expert, readFloats(in), d);
        }
    }

    private static void writeFloats(Output out, float[] a) {
        out.writeInt(a.length, true);
        out.writeFloats(a);
    }

    private static float[] readFloats(Input in) {
        return in.readFloats(in.readInt(true));
    }
}
