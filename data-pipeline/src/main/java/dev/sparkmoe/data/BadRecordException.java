package dev.sparkmoe.data;

import java.io.IOException;

/**
 * A record that a reader in strict mode refuses; the message names the file, the line (or
 * record number), the reason, the offending value and what was expected.
 */
public final class BadRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String reason;

    /**
     * @param file   the file the record came from
     * @param line   1-based line (or record) number, or 0 if unknown
     * @param reason the skip reason (a {@link SkipCounter} key)
     * @param detail the offending value and what was expected
     */
    public BadRecordException(String file, long line, String reason, String detail) {
        super(SkipReport.place(file, line) + ": " + reason + ": " + detail
                + " (strict mode: the first bad record fails the read)");
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** The file the bad record came from. */
    public String file() {
        return file;
    }

    /** The 1-based line (or record) number of the bad record, 0 if unknown. */
    public long line() {
        return line;
    }

    /** The skip reason, e.g. {@code non-utf8}. */
    public String reason() {
        return reason;
    }
}
