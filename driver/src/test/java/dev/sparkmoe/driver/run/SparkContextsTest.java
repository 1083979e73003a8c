package dev.sparkmoe.driver.run;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkContextsTest {

    @Test
    void keepsTheMasterAndSettingsALauncherGave() {
        SparkConf conf = SparkContexts.conf(new SparkConf(false)
                .setMaster("spark://127.0.0.1:7077").setAppName("given")
                .set("spark.ui.showConsoleProgress", "true")
                .set("spark.kryoserializer.buffer.max", "1g"), "job");
        assertEquals("spark://127.0.0.1:7077", conf.get("spark.master"));
        assertEquals("given", conf.get("spark.app.name"));
        assertEquals("true", conf.get("spark.ui.showConsoleProgress"));
        assertEquals("1g", conf.get("spark.kryoserializer.buffer.max"));
    }

    @Test
    void defaultsToAllLocalCoresWithoutAProgressBar() {
        SparkConf conf = SparkContexts.conf(new SparkConf(false), "job");
        assertEquals("local[*]", conf.get("spark.master"));
        assertEquals("job", conf.get("spark.app.name"));
        assertEquals("false", conf.get("spark.ui.showConsoleProgress"));
        assertEquals("127.0.0.1", conf.get("spark.driver.host"), "a local master binds the driver to the loopback address");
    }

    @Test
    void theJobsDefaultMasterAppliesOnlyWhenNoLauncherGaveOne() {
        assertEquals("local[3]", SparkContexts.conf(new SparkConf(false), "job", "local[3]").get("spark.master"));
        SparkConf given = SparkContexts.conf(new SparkConf(false).setMaster("yarn"), "job", "local[3]");
        assertEquals("yarn", given.get("spark.master"));
        assertTrue(!given.contains("spark.driver.host"), "a cluster master leaves the driver's address to Spark");
    }

    @Test
    void appliesTheEngineSettingsEvenOverAUsersSerializer() {
        SparkConf conf = SparkContexts.conf(new SparkConf(false)
                .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer"), "job");
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals("true", conf.get("spark.kryo.registrationRequired"));
        assertTrue(conf.get("spark.kryo.registrator").contains("EngineKryoRegistrator"), conf.get("spark.kryo.registrator"));
    }

    @Test
    void readsTheMasterSparkSubmitPassesAsASystemProperty() {
        String before = System.getProperty("spark.master");
        System.setProperty("spark.master", "local[1]");
        try (JavaSparkContext sc = new JavaSparkContext(SparkContexts.conf("system-properties")
                .set("spark.ui.enabled", "false"))) {
            assertEquals("local[1]", sc.master());
            assertEquals(1, sc.defaultParallelism());
        } finally {
            if (before == null) System.clearProperty("spark.master");
            else System.setProperty("spark.master", before);
        }
    }
}
