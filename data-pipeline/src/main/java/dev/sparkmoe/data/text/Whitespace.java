package dev.sparkmoe.data.text;

/** Whitespace normalisation shared by the converters. */
public final class Whitespace {
    private Whitespace() {}

    /**
     * {@code text} with every run of whitespace, control characters and no-break spaces replaced
     * by one space, trimmed.
     */
    public static String collapse(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u00A0') {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
