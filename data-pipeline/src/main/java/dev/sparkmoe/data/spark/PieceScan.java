package dev.sparkmoe.data.spark;

import dev.sparkmoe.data.text.TokenSink;
import dev.sparkmoe.data.text.Tokenizer;
import dev.sparkmoe.data.wikitext.WikiTextLineScanner;
import dev.sparkmoe.data.wikitext.WikiTextOptions;
import dev.sparkmoe.data.wikitext.WikiTextVisitor;
import java.io.IOException;
import java.util.Iterator;

/**
 * Executor-side scan of one piece: lines → {@link WikiTextLineScanner} → tokenizer → sink, with
 * one end-of-line call per contributing line — the token stream of
 * {@link dev.sparkmoe.data.wikitext.WikiTextCorpus} restricted to the piece.
 */
final class PieceScan {
    /** Skip reason of a parquet row whose text is null. */
    static final String NULL_TEXT = dev.sparkmoe.data.wikitext.WikiTextParquetFiles.NULL_TEXT;

    private PieceScan() {}

    /** {@link WikiTextOptions} as a serialisable value for task closures. */
    record Flags(boolean strict, boolean includeHeadings) implements java.io.Serializable {
        static Flags of(WikiTextOptions o) {
            return new Flags(o.strict(), o.includeHeadings());
        }
    }

    /** What {@link #scan} saw. */
    record Result(WikiTextLineScanner scanner, long lines) {}

    static <T> Result scan(WikiTextSource<T> source, Iterator<T> records, boolean inArticle, Tokenizer tokenizer,
                           Flags options, TokenSink sink, Runnable endOfLine) throws IOException {
        long[] lines = new long[1];
        WikiTextVisitor v = WikiTextVisitor.tokenizing(tokenizer, options.includeHeadings(), sink, endOfLine, lines);
        WikiTextLineScanner scanner = new WikiTextLineScanner(options.strict(), inArticle, v);
        source.forEachLine(records, (b, off, len, src, pos) -> {
            if (b == null) {
                scanner.skip(NULL_TEXT, src, pos, "null text value; expected a string (possibly empty)");
            } else {
                scanner.line(b, off, len, src, pos);
            }
            return true;
        });
        return new Result(scanner, lines[0]);
    }

    /** Whether the piece holds an article heading; stops at the first one. */
    static <T> boolean hasArticleHeading(WikiTextSource<T> source, Iterator<T> records) throws IOException {
        boolean[] found = new boolean[1];
        source.forEachLine(records, (b, off, len, src, pos) -> {
            found[0] = b != null && WikiTextLineScanner.isArticleHeading(b, off, len);
            return !found[0];
        });
        return found[0];
    }
}
