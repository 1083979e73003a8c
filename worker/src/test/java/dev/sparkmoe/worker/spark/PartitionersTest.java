package dev.sparkmoe.worker.spark;

import dev.sparkmoe.routing.ExpertPlacement;
import org.apache.spark.HashPartitioner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionersTest {
    private static final ExpertPlacement LAYER0 = ExpertPlacement.initial(new int[]{0, 1, 2}, 2);
    private static final ExpertPlacement LAYER1 = ExpertPlacement.initial(new int[]{0, 3, 7}, 2);

    @Test
    void expertKeysGoWhereThePlacementSays() {
        ExpertPartitioner p = new ExpertPartitioner(2, List.of(LAYER0, LAYER1));
        assertEquals(2, p.numPartitions());
        assertEquals(2, p.numLayers());
        for (int id : LAYER1.expertIds()) {
            assertEquals(LAYER1.partitionOf(id), p.getPartition(new ExpertKey(1, id)));
            assertEquals(LAYER1.partitionOf(id), p.partitionOf(1, id));
        }
        for (int id : LAYER0.expertIds()) assertEquals(LAYER0.partitionOf(id), p.getPartition(new ExpertKey(0, id)));
    }

    @Test
    void equalExactlyWhenPartitionsAndPlacementAre() {
        ExpertPartitioner p = new ExpertPartitioner(2, List.of(LAYER0, LAYER1));
        ExpertPartitioner same = new ExpertPartitioner(2, List.of(ExpertPlacement.initial(new int[]{2, 1, 0}, 2),
                ExpertPlacement.initial(new int[]{7, 3, 0}, 2)));
        assertEquals(p, same);
        assertEquals(p.hashCode(), same.hashCode());
        // the same mapping reached through moves is still the same partitioner
        ExpertPlacement moved = ExpertPlacement.place(Map.of(0, 1, 3, 1, 7, 1), new int[]{0, 3, 7}, Map.of(), 2, 0.0);
        assertTrue(!moved.moves().isEmpty());
        ExpertPartitioner viaMoves = new ExpertPartitioner(2, List.of(LAYER0, moved));
        assertEquals(new ExpertPartitioner(2, List.of(LAYER0, ExpertPlacement.place(moved.asMap(), moved.expertIds(),
                Map.of(), 2, 0.0))), viaMoves);
        assertNotEquals(p, new ExpertPartitioner(3, List.of(ExpertPlacement.initial(new int[]{0, 1, 2}, 3),
                ExpertPlacement.initial(new int[]{0, 3, 7}, 3))));
        assertNotEquals(p, new ExpertPartitioner(2, List.of(LAYER0)));
        assertNotEquals(p, new ExpertPartitioner(2, List.of(LAYER0, ExpertPlacement.initial(new int[]{0, 3}, 2))));
        assertNotEquals(p, new HashPartitioner(2));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ExpertPartitioner p = new ExpertPartitioner(2, List.of(LAYER0, LAYER1));
        assertEquals(p, javaRoundTrip(p));
        assertEquals(new DataPartitioner(3), javaRoundTrip(new DataPartitioner(3)));
    }

    @Test
    void badValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExpertPartitioner(0, List.of(LAYER0)));
        assertTrue(e.getMessage().contains("= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExpertPartitioner(3, List.of(LAYER0)));
        assertTrue(e.getMessage().contains("layer 0 is over 2 partitions, expected 3"), e.getMessage());
        ExpertPartitioner p = new ExpertPartitioner(2, List.of(LAYER0, LAYER1));
        e = assertThrows(IllegalArgumentException.class, () -> p.getPartition(new ExpertKey(1, 5)));
        assertTrue(e.getMessage().contains("moe1.expert5 is not placed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.getPartition(new ExpertKey(2, 0)));
        assertTrue(e.getMessage().contains("moe2.expert0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.getPartition(7L));
        assertTrue(e.getMessage().contains("java.lang.Long 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExpertKey(-1, 0));
    }

    @Test
    void dataPartitionerIsTheIdentity() {
        DataPartitioner d = new DataPartitioner(3);
        for (int p = 0; p < 3; p++) assertEquals(p, d.getPartition(p));
        assertEquals(d, new DataPartitioner(3));
        assertEquals(d.hashCode(), new DataPartitioner(3).hashCode());
        assertNotEquals(d, new DataPartitioner(4));
        assertNotEquals(d, new HashPartitioner(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.getPartition(3));
        assertTrue(e.getMessage().contains("[0, 3), got Integer 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.getPartition("0"));
        assertThrows(IllegalArgumentException.class, () -> new DataPartitioner(0));
    }

    private static Object javaRoundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
