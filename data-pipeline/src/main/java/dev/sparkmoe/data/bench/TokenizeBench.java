package dev.sparkmoe.data.bench;

import dev.sparkmoe.data.lm.SequencePacker;
import dev.sparkmoe.data.text.TokenSink;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.text.Utf8;
import dev.sparkmoe.data.text.Vocabulary;
import dev.sparkmoe.data.text.VocabularyBuilder;
import dev.sparkmoe.data.text.WhitespaceTokenizer;
import dev.sparkmoe.data.text.WikiTextTokenizer;
import dev.sparkmoe.data.wikitext.EmbeddedCorpus;
import dev.sparkmoe.data.wikitext.WikiTextSplit;
import dev.sparkmoe.data.wikitext.WikiTextVariant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Throughput of the LM text path on one thread: split lines, check UTF-8, tokenize, map to ids (with
 * {@code <eos>} per line), pack into {@code S + 1} blocks and copy every block out, over the
 * embedded corpus (all three splits) again and again.
 *
 * <p>Two variants: {@code tokens} (the embedded {@code .tokens} text, whitespace tokenizer) and
 * {@code raw} (the same text turned back into raw-like text — {@code " @-@ "} → {@code "-"},
 * {@code " @,@ "} → {@code ","}, {@code " @.@ "} → {@code "."} — through
 * {@link WikiTextTokenizer}). The figure reported is the raw one, the harder path.
 *
 * <p>Usage: {@code TokenizeBench [seconds per variant, default 4] [S, default 256]}. The last
 * line of output is one JSON object:
 * {@code {"suite":"data","mb_per_s":..,"tokens_per_s":..,"bytes":..,...}}, where MB is 10^6
 * bytes of input text and {@code bytes} the input bytes processed in the timed window.
 */
public final class TokenizeBench {
    private TokenizeBench() {}

    /** Runs the benchmark; see the class comment. */
    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4.0;
        int seqLen = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        byte[] tokensText = embeddedText();
        byte[] rawText = detokenize(tokensText);

        Measurement tok = measure("tokens", tokensText, WhitespaceTokenizer.INSTANCE, seqLen, seconds);
        Measurement raw = measure("raw", rawText, WikiTextTokenizer.INSTANCE, seqLen, seconds);
        System.out.println(String.format(Locale.ROOT,
                "{\"suite\":\"data\",\"mb_per_s\":%.1f,\"tokens_per_s\":%.0f,\"bytes\":%d,\"seconds\":%.2f,"
                        + "\"variant\":\"raw\",\"corpus_bytes\":%d,\"seq_len\":%d,\"tokens_variant_mb_per_s\":%.1f,"
                        + "\"tokens_variant_tokens_per_s\":%.0f}",
                raw.mbPerS(), raw.tokensPerS(), raw.bytes, raw.seconds, rawText.length, seqLen,
                tok.mbPerS(), tok.tokensPerS()));
    }

    private record Measurement(long bytes, long tokens, double seconds) {
        double mbPerS() {
            return bytes / seconds / 1e6;
        }

        double tokensPerS() {
            return tokens / seconds;
        }
    }

    private static Measurement measure(String name, byte[] text, Tokenizer tokenizer, int seqLen, double seconds) {
        VocabularyBuilder counts = new VocabularyBuilder();
        forEachLine(text, (b, off, len) -> tokenizer.tokenize(b, off, len, counts));
        Vocabulary vocab = counts.build(1 << 20, 1);
        Pass pass = new Pass(text, tokenizer, vocab, seqLen);
        long deadline = System.nanoTime() + (long) (Math.min(1.0, seconds / 4) * 1e9);
        while (System.nanoTime() < deadline) {
            pass.run(); // warm-up
        }
        long bytes = 0;
        long tokens = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            tokens += pass.run();
            bytes += text.length;
            now = System.nanoTime();
        } while (now < end);
        Measurement m = new Measurement(bytes, tokens, (now - start) / 1e9);
        System.out.println(String.format(Locale.ROOT, "%-6s V=%d  %.1f MB/s  %.2f M tokens/s  (%d bytes, %.2f s, checksum %d)",
                name, vocab.size(), m.mbPerS(), m.tokensPerS() / 1e6, bytes, m.seconds, pass.checksum));
        return m;
    }

    /** One pass: lines → tokens → ids → blocks. */
    private static final class Pass implements TokenSink {
        private final byte[] text;
        private final Tokenizer tokenizer;
        private final Vocabulary vocab;
        private final int seqLen;
        private int[] ids = new int[1 << 16];
        private int n;
        private int[] blocks = new int[0];
        long checksum;

        Pass(byte[] text, Tokenizer tokenizer, Vocabulary vocab, int seqLen) {
            this.text = text;
            this.tokenizer = tokenizer;
            this.vocab = vocab;
            this.seqLen = seqLen;
        }

        /** Returns the number of ids produced. */
        int run() {
            n = 0;
            forEachLine(text, (b, off, len) -> {
                if (Utf8.firstInvalid(b, off, len) >= 0) {
                    throw new IllegalStateException("embedded corpus is not UTF-8");
                }
                tokenizer.tokenize(b, off, len, this);
                add(Vocabulary.EOS);
            });
            SequencePacker packer = new SequencePacker(Arrays.copyOf(ids, n), seqLen);
            int need = packer.blockCount() * (seqLen + 1);
            if (blocks.length < need) {
                blocks = new int[need];
            }
            for (int k = 0; k < packer.blockCount(); k++) {
                packer.copyBlock(k, blocks, k * (seqLen + 1));
            }
            checksum += blocks[need - 1];
            return n;
        }

        @Override
        public void token(byte[] buf, int off, int len) {
            add(vocab.id(buf, off, len));
        }

        private void add(int id) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = id;
        }
    }

    /** Calls {@code sink} with each non-blank line of {@code text} (lines end at '\n'). */
    private static void forEachLine(byte[] text, TokenSink sink) {
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                if (i - start > 1) {
                    sink.token(text, start, i - start);
                }
                start = i + 1;
            }
        }
        if (start < text.length) {
            sink.token(text, start, text.length - start);
        }
    }

    private static byte[] embeddedText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);
        for (WikiTextSplit s : WikiTextSplit.values()) {
            // straight from the classpath (not EmbeddedCorpus.openResource) so no Hadoop class is needed
            String name = EmbeddedCorpus.RESOURCE_DIR + "/" + s.fileName(WikiTextVariant.TOKENS);
            try (InputStream in = TokenizeBench.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("classpath resource not found: " + name);
                }
                in.transferTo(out);
            }
        }
        return out.toByteArray();
    }

    private static byte[] detokenize(byte[] tokens) {
        String t = new String(tokens, StandardCharsets.UTF_8)
                .replace(" @-@ ", "-").replace(" @,@ ", ",").replace(" @.@ ", ".");
        return t.getBytes(StandardCharsets.UTF_8);
    }
}
