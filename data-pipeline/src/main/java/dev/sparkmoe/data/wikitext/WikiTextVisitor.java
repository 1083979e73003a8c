package dev.sparkmoe.data.wikitext;

import dev.sparkmoe.data.text.TokenSink;
import dev.sparkmoe.data.text.Tokenizer;
import java.io.IOException;

/**
 * Receives the records of one WikiText file in order, from {@link WikiTextCorpus#scan}. Blank
 * lines are structure and are not passed on; bad lines are counted by the scanner and never
 * reach the visitor. Byte ranges are valid only during the call.
 */
public interface WikiTextVisitor {

    /**
     * A heading line: level 1 ({@code  = Title = }) starts an article, level 2 and deeper
     * ({@code  = = Section = = }) a section of the current article.
     *
     * @param level      number of {@code =} on each side, at least 1
     * @param title      the text between the {@code =} marks, trimmed
     * @param line       the whole line, UTF-8, without its line end
     * @param lineNumber 1-based line number in the file
     * @param byteOffset offset of the line's first byte in the file
     */
    void heading(int level, String title, byte[] line, int off, int len, long lineNumber, long byteOffset)
            throws IOException;

    /**
     * A paragraph: one non-blank, non-heading line after the first article heading.
     *
     * @param line       the whole line, UTF-8 (validated), without its line end
     * @param lineNumber 1-based line number in the file
     * @param byteOffset offset of the line's first byte in the file
     */
    void paragraph(byte[] line, int off, int len, long lineNumber, long byteOffset) throws IOException;

    /**
     * A visitor that tokenises every paragraph (and heading, when {@code includeHeadings}) into
     * {@code sink}, counts the lines in {@code lineCount[0]}, and runs {@code endOfLine} (may be
     * null) after each: the token stream of a WikiText file, as every reader builds it.
     */
    static WikiTextVisitor tokenizing(Tokenizer tokenizer, boolean includeHeadings, TokenSink sink, Runnable endOfLine,
                                      long[] lineCount) {
        return new WikiTextVisitor() {
            @Override
            public void heading(int level, String title, byte[] line, int off, int len, long n, long at) {
                if (includeHeadings) paragraph(line, off, len, n, at);
            }

            @Override
            public void paragraph(byte[] line, int off, int len, long n, long at) {
                tokenizer.tokenize(line, off, len, sink);
                lineCount[0]++;
                if (endOfLine != null) endOfLine.run();
            }
        };
    }
}
