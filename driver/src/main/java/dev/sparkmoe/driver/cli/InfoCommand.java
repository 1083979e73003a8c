package dev.sparkmoe.driver.cli;

import dev.sparkmoe.driver.config.JobConfig;
import dev.sparkmoe.driver.run.domainbed.DomainBedJob;
import org.apache.hadoop.conf.Configuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.sparkmoe.routing.Param;
import dev.sparkmoe.routing.RouterConfig;
import dev.sparkmoe.worker.model.ModelConfig;
import dev.sparkmoe.worker.model.MoETransformer;
import dev.sparkmoe.worker.moe.InProcessDispatcher;
import dev.sparkmoe.worker.moe.MoELayer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code spark-moe info}: the model a job would build (a language model, or for
 * {@code task = "domainbed"} the vision transformer for the dataset) and its parameter counts — total,
 * dense, router and expert parameters, and those activated per token (for dynamic routers,
 * at the nominal k; the measured mean is in each run's metrics).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the model of a job and its total and activated parameter counts.")
public final class InfoCommand implements Runnable {

    @Mixin JobOptions job;

    @Override public void run() {
        JobConfig cfg = job.load();
        if (cfg.task().equals("domainbed")) {
            try {
                print(DomainBedJob.model(cfg, DomainBedJob.load(cfg, new Configuration())), System.out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + cfg.domainbed().dataset() + ": " + e.getMessage(), e);
            }
            return;
        }
        print(cfg.model(cfg.data().vocabMaxSize()), System.out);
    }

    static void print(ModelConfig m, PrintStream out) {
        MoETransformer model = new MoETransformer(m, 0, DataType.FLOAT, InProcessDispatcher::new);
        long dense = model.denseDecayed().length() + model.densePlain().length();
        long router = 0, experts = 0, perExpert = 0;
        for (MoELayer layer : model.moeLayers()) {
            router += layer.router().params().stream().mapToLong(Param::length).sum();
            int first = layer.experts().ids()[0];
            perExpert = layer.experts().get(first).params().stream().mapToLong(Param::length).sum();
            experts += perExpert * layer.experts().size();
        }
        RouterConfig r = m.router();
        double k = Double.isNaN(r.nominalK()) ? Double.NaN : r.nominalK();
        String input = m.input() instanceof dev.sparkmoe.worker.model.ModelInput.Patches p
                ? String.format(Locale.ROOT, "images %dx%dx%d in %dx%d patches", p.channels(), p.height(), p.width(), p.patch(), p.patch())
                : "V=" + m.vocabSize();
        out.printf(Locale.ROOT, "model: D=%d heads=%d blocks=%d moeBlocks=%s experts=%d F=%d/%d S=%d %s head=%s router=%s%n",
                m.dModel(), m.heads(), m.numBlocks(), java.util.Arrays.toString(m.moeBlocks()), m.numExperts(),
                m.ffnDim(), m.expertFfnDim(), m.maxSeqLen(), input, m.head().kind().name().toLowerCase(Locale.ROOT), r.kind());
        out.printf(Locale.ROOT, "parameters: total %,d = dense %,d + router %,d + experts %,d (%,d per expert)%n",
                dense + router + experts, dense, router, experts, perExpert);
        if (Double.isNaN(k)) {
            out.printf(Locale.ROOT, "activated per token: dynamic (%s): dense + router + k̄ × %,d per MoE layer%n",
                    r.kind(), perExpert);
        } else {
            long active = dense + router + Math.round(k * perExpert * model.moeLayers().size());
            out.printf(Locale.ROOT, "activated per token: %,d (k=%s)%n", active, (int) k);
        }
    }
}
