package dev.sparkmoe.data.wikitext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparkmoe.data.SkipReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pieces read independently give exactly the records and skip counts of one sequential scan. */
class WikiTextLineScannerTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void piecesConcatenateToTheSequentialScan() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        b.writeBytes("early words \r\n = = Early = = \n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(WikiTextFixtures.TOKENS.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(" = bad = = \n x \u00e9 y \n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {' ', 'q', (byte) 0xC3, '\n'});
        b.writeBytes(WikiTextFixtures.TOKENS.getBytes(StandardCharsets.UTF_8));
        Path dir = WikiTextFixtures.writeCorpus(tmp.resolve("c"), WikiTextVariant.TOKENS, b.toByteArray());
        WikiTextCorpus corpus = WikiTextCorpus.open(dir, CONF);
        List<String> expected = new ArrayList<>();
        SkipReport expectedSkips = corpus.scan(WikiTextSplit.TRAIN, recorder(expected));
        assertTrue(expectedSkips.total() >= 4, expectedSkips.toString());

        Path file = corpus.file(WikiTextSplit.TRAIN);
        FileSystem fs = file.getFileSystem(CONF);
        long len = fs.getFileStatus(file).getLen();
        for (int pieces : new int[] {1, 2, 3, 7, 40, (int) len}) {
            List<String> got = new ArrayList<>();
            SkipReport skips = SkipReport.EMPTY;
            boolean before = false;
            for (int i = 0; i < pieces; i++) {
                WikiTextLineScanner s = new WikiTextLineScanner(false, before, recorder(got));
                boolean[] has = {false};
                WikiTextLineScanner.readRange(fs, file, i * len / pieces, (i + 1) * len / pieces, (l, off, n, pos) -> {
                    has[0] |= WikiTextLineScanner.isArticleHeading(l, off, n);
                    s.line(l, off, n, file.getName(), pos);
                    return true;
                });
                skips = skips.merge(s.skips());
                before |= has[0];
            }
            assertEquals(expected, got, pieces + " pieces");
            assertEquals(expectedSkips.counts(), skips.counts(), pieces + " pieces");
        }
        assertFalse(WikiTextLineScanner.isArticleHeading(" = = S = = ".getBytes(StandardCharsets.UTF_8), 0, 11));
    }

    private static WikiTextVisitor recorder(List<String> out) {
        return new WikiTextVisitor() {
            @Override
            public void heading(int level, String title, byte[] line, int off, int len, long n, long at) {
                out.add("H" + level + ":" + title + "@" + at);
            }

            @Override
            public void paragraph(byte[] line, int off, int len, long n, long at) {
                out.add("P:" + new String(line, off, len, StandardCharsets.UTF_8) + "@" + at);
            }
        };
    }
}
