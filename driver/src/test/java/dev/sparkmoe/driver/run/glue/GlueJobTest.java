package dev.sparkmoe.driver.run.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkmoe.data.glue.GlueSplit;
import dev.sparkmoe.data.glue.GlueSubmission;
import dev.sparkmoe.data.glue.GlueTask;
import dev.sparkmoe.driver.cli.Main;
import dev.sparkmoe.driver.config.JobConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GLUE fine-tuning and evaluation end to end on Spark local[2]: a tiny language model pretrained
 * with {@code spark-moe train} on the embedded corpus, fine-tuned on the embedded CoLA task with
 * {@code conf/glue/embedded-cola.conf} (tiny sizes and 20 steps through overrides), then {@code spark-moe eval}
 * of the fine-tuned run; and the errors a bad {@code glue.*} setting gives.
 */
class GlueJobTest {
    private static final String SPARK = "engine.master=\"local[2]\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tmp;
    private static Path pretrained;

    /** Pretrains once for every test: 20 steps of a dModel-32 model with one 4-expert MoE block, seqLen 32. */
    @BeforeAll
    static void pretrain() {
        pretrained = tmp.resolve("lm");
        int code = Main.commandLine().execute("train", "-c", "../conf/tiny.conf", "model.dModel=32", "model.ffnDim=64",
                "model.expertFfnDim=64", "model.experts=4", "train.steps=20", "train.batchSize=8", "optim.warmupSteps=2",
                "train.evalEvery=0", "train.evalBatches=1", "checkpoint.every=0", SPARK, "run.dir=\"" + pretrained.toUri() + "\"");
        assertEquals(0, code, "pretraining failed");
    }

    private static List<String> finetuneOverrides(Path run, String... more) {
        List<String> o = new ArrayList<>(List.of("glue.pretrained=\"" + pretrained.toUri() + "\"", "train.steps=20",
                "train.evalEvery=10", "train.batchSize=16", "optim.warmupSteps=3", "train.logEvery=10", SPARK,
                "run.dir=\"" + run.toUri() + "\""));
        o.addAll(List.of(more));
        return o;
    }

    private static JobConfig embeddedCola(List<String> overrides) {
        return JobConfig.load(new File("../conf/glue/embedded-cola.conf"), overrides);
    }

    @Test
    void finetunesEmbeddedColaOnTheEngineAndEvalReproducesTheDevMetrics() throws IOException {
        Path run = tmp.resolve("cola");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        GlueOutputs.Result result = new GlueFinetuneJob(embeddedCola(finetuneOverrides(run)),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String out = log.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("validation at step 10") && out.contains("validation at step 20"), out);
        assertTrue(out.contains("encoding") && out.contains("skipped"), out);
        assertTrue(result.step() == 10 || result.step() == 20, "selected step " + result.step());
        double mcc = result.devMetrics().get("mcc");
        assertTrue(Double.isFinite(mcc) && mcc >= -1 && mcc <= 1, "mcc " + mcc);

        JsonNode dev = JSON.readTree(run.resolve("glue/dev-metrics.json").toFile());
        assertEquals(mcc, dev.get("metrics").get("mcc").asDouble());
        assertEquals(result.step(), dev.get("step").asLong());
        assertTrue(Files.exists(run.resolve("glue/test-metrics.json")));
        assertTrue(Files.exists(run.resolve("glue/encoding.json")));
        assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("\"dev_metrics\""));

        Path submission = run.resolve("glue/submission/CoLA.tsv");
        int testExamples = GlueFinetuneJob.load(embeddedCola(List.of()).glue(), false, new Configuration())
                .split(GlueSplit.TEST).size();
        assertEquals(testExamples + 1, Files.readAllLines(submission).size(), "header + one line per test example");
        GlueSubmission.Predictions read = GlueSubmission.read(new org.apache.hadoop.fs.Path(submission.toUri()),
                GlueTask.COLA, new Configuration());
        assertEquals(testExamples, read.indices().length);
        assertTrue(Files.exists(run.resolve("glue/submission/dev/CoLA.tsv")), "dev predictions in submission format");

        byte[] devBefore = Files.readAllBytes(run.resolve("glue/dev-metrics.json"));
        int code = Main.commandLine().execute("eval", run.toUri().toString(), SPARK);
        assertEquals(0, code, "eval failed");
        assertEquals(new String(devBefore, StandardCharsets.UTF_8),
                Files.readString(run.resolve("glue/dev-metrics.json")), "eval reproduces the selected dev metrics exactly");
        JsonNode evalDev = JSON.readTree(run.resolve("glue/dev-metrics.json").toFile());
        assertEquals(result.step(), evalDev.get("step").asLong());
        assertEquals(mcc, evalDev.get("metrics").get("mcc").asDouble());
    }

    /** The same job in one process ({@code engine.kind=single}); eval of that run agrees with it. */
    @Test
    void finetunesAndEvaluatesInOneProcess() {
        Path run = tmp.resolve("cola-single");
        GlueOutputs.Result result = new GlueFinetuneJob(embeddedCola(finetuneOverrides(run, "engine.kind=single",
                "train.steps=4", "train.evalEvery=2", "optim.warmupSteps=1")), System.out).run();
        assertTrue(result.step() == 2 || result.step() == 4, result.toString());
        GlueOutputs.Result again = new GlueEvalJob(run.toUri().toString(), List.of(), System.out).run();
        assertEquals(result.devMetrics(), again.devMetrics());
        assertEquals(result.step(), again.step());
    }

    /** STS-B through the regression head: a small GLUE-layout folder written here, scores in [0, 5]. */
    @Test
    void finetunesStsbWithTheRegressionHead() throws IOException {
        Path glue = tmp.resolve("glue_data/STS-B");
        Files.createDirectories(glue);
        Files.writeString(glue.resolve("train.tsv"), stsb(48, true));
        Files.writeString(glue.resolve("dev.tsv"), stsb(20, true));
        Files.writeString(glue.resolve("test.tsv"), stsb(9, false));
        Path run = tmp.resolve("stsb");
        List<String> o = finetuneOverrides(run, "glue.dir=\"" + tmp.resolve("glue_data").toUri() + "\"", "glue.maxLength=32",
                "train.steps=6", "train.evalEvery=3", "optim.warmupSteps=1");
        GlueOutputs.Result result = new GlueFinetuneJob(JobConfig.load(new File("../conf/glue/stsb.conf"), o), System.out).run();
        assertEquals("STS-B", result.task());
        assertTrue(result.devMetrics().containsKey("pearson") && result.devMetrics().containsKey("spearman"), result.toString());
        GlueSubmission.Predictions test = GlueSubmission.read(new org.apache.hadoop.fs.Path(
                run.resolve("glue/submission/STS-B.tsv").toUri()), GlueTask.STSB, new Configuration());
        assertEquals(9, test.scores().length);
        for (float v : test.scores()) assertTrue(Float.isFinite(v), "score " + v);
    }

    /** {@code n} STS-B rows (GLUE's ten-column layout; test rows have no score) from a few words. */
    private static String stsb(int n, boolean scored) {
        String[] words = {"a", "man", "is", "the", "dog", "runs", "on", "street", "woman", "plays", "music", "child"};
        StringBuilder sb = new StringBuilder("index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2"
                + (scored ? "\tscore" : "") + "\n");
        java.util.Random r = new java.util.Random(n);
        for (int i = 0; i < n; i++) {
            String a = words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)] + ".";
            String b = words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)] + ".";
            sb.append(i).append("\tmain-captions\tMSRvid\t2012test\t").append(i).append("\tnone\tnone\t").append(a).append('\t').append(b);
            if (scored) sb.append('\t').append(String.format(java.util.Locale.ROOT, "%.3f", 5 * r.nextDouble()));
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void aMaxLengthBeyondThePretrainedSeqLenIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GlueFinetuneJob(embeddedCola(finetuneOverrides(tmp.resolve("long"), "glue.maxLength=64")), System.out).run());
        assertTrue(e.getMessage().contains("glue.maxLength = 64") && e.getMessage().contains("seqLen = 32"), e.getMessage());
    }

    @Test
    void aMissingPretrainedRunIsNamed() {
        Path missing = tmp.resolve("no-such-run");
        List<String> o = new ArrayList<>(finetuneOverrides(tmp.resolve("x")));
        o.add("glue.pretrained=\"" + missing.toUri() + "\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GlueFinetuneJob(embeddedCola(o), System.out).run());
        assertTrue(e.getMessage().contains("glue.pretrained") && e.getMessage().contains("no-such-run"), e.getMessage());
    }

    @Test
    void anUnknownTaskIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> embeddedCola(List.of("glue.task=NoSuchTask")));
        assertTrue(e.getMessage().contains("glue.task") && e.getMessage().contains("NoSuchTask"), e.getMessage());
        String err = runCli("finetune", "-c", "../conf/glue/embedded-cola.conf", "glue.task=NoSuchTask");
        assertTrue(err.contains("glue.task"), err);
    }

    @Test
    void evalOfADirectoryThatIsNoFinetuningRunIsNamed() {
        String err = runCli("eval", pretrained.toUri().toString());
        assertTrue(err.contains("neither a finished GLUE fine-tuning run") && err.contains(pretrained.toUri().toString()), err);
    }

    @Test
    void everyShippedGlueJobFileLoads() throws IOException {
        List<Path> files;
        try (var s = Files.list(Path.of("../conf/glue"))) {
            files = s.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
        assertEquals(10, files.size(), files.toString());
        for (Path f : files) {
            JobConfig c = JobConfig.load(f.toFile(), List.of());
            assertTrue(c.engine().spark() && c.trainer().steps() > 0, f.toString());
            assertTrue(c.trainer().warmupSteps() <= c.trainer().steps(), f.toString());
        }
        Map<String, String> tasks = Map.of("mnli.conf", "MNLI", "stsb.conf", "STS-B", "sst2.conf", "SST-2");
        tasks.forEach((file, task) -> assertEquals(task,
                JobConfig.load(new File("../conf/glue/" + file), List.of()).glue().task().displayName(), file));
    }

    @Test
    void theNewSubcommandsHaveHelpAndAreListed() {
        for (String cmd : List.of("finetune", "eval")) {
            java.io.StringWriter out = new java.io.StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(out));
            assertEquals(0, cl.execute(cmd, "--help"), cmd);
            assertTrue(out.toString().contains("Usage: spark-moe " + cmd), out.toString());
        }
        String err = runCli();
        assertTrue(err.contains("finetune") && err.contains("eval"), err);
    }

    /** Runs the command line expecting exit status 2; returns its error output. */
    private static String runCli(String... args) {
        var cl = Main.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cl.execute(args), err.toString());
        return err.toString();
    }
}
