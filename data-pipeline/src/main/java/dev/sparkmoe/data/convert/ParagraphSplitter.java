package dev.sparkmoe.data.convert;

import dev.sparkmoe.data.text.Whitespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits running text that has no paragraph breaks (the State of the Union package stores each
 * address on one line) into sentences and groups them into paragraphs.
 *
 * <p>Rules: whitespace runs and control characters become one space. A sentence ends after
 * {@code .}, {@code ?} or {@code !} (plus any closing quotes or brackets) when whitespace
 * follows and the next character is an upper-case letter, a digit or an opening quote or
 * bracket — except after a period that ends a title abbreviation ({@code Mr. Mrs. Ms. Dr. Jr.
 * Sr. St. Mt. Gen. Gov. Sen. Rep. Col. Lt. Capt. Prof. vs.}), a single capital letter (an
 * initial: {@code John F. Kennedy}) or a word with an inner period ({@code U.S.}). A paragraph
 * is {@code n} consecutive sentences; the last paragraph of a text takes the remainder.
 */
public final class ParagraphSplitter {
    private static final Set<String> ABBREVIATIONS = Set.of("Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "St", "Mt",
            "Gen", "Gov", "Sen", "Rep", "Col", "Lt", "Capt", "Prof", "vs");
    private static final String CLOSERS = "\"')]\u2019\u201D";
    private static final String OPENERS = "\"'([\u2018\u201C";

    private ParagraphSplitter() {}

    /** {@code text} with every run of whitespace or control characters replaced by one space, trimmed. */
    public static String normalize(String text) {
        return Whitespace.collapse(text);
    }

    /** The sentences of {@code text} (normalised first), in order. */
    public static List<String> sentences(String text) {
        String t = normalize(text);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '.' && c != '?' && c != '!') {
                continue;
            }
            int j = i + 1;
            while (j < t.length() && CLOSERS.indexOf(t.charAt(j)) >= 0) {
                j++;
            }
            if (j + 1 >= t.length() || t.charAt(j) != ' ' || !startsSentence(t.charAt(j + 1))) {
                continue;
            }
            if (c == '.' && j == i + 1 && isAbbreviation(t, start, i)) {
                continue;
            }
            out.add(t.substring(start, j));
            start = j + 1;
            i = j;
        }
        if (start < t.length()) {
            out.add(t.substring(start));
        }
        return out;
    }

    /** The paragraphs of {@code text}: every {@code sentencesPerParagraph} sentences joined by a space. */
    public static List<String> paragraphs(String text, int sentencesPerParagraph) {
        if (sentencesPerParagraph < 1) {
            throw new IllegalArgumentException("sentencesPerParagraph=" + sentencesPerParagraph + "; expected >= 1");
        }
        List<String> sentences = sentences(text);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i += sentencesPerParagraph) {
            out.add(String.join(" ", sentences.subList(i, Math.min(i + sentencesPerParagraph, sentences.size()))));
        }
        return out;
    }

    private static boolean startsSentence(char c) {
        return Character.isUpperCase(c) || Character.isDigit(c) || OPENERS.indexOf(c) >= 0;
    }

    /** Whether the word ending just before the period at {@code dot} is an abbreviation. */
    private static boolean isAbbreviation(String t, int sentenceStart, int dot) {
        int w = dot;
        while (w > sentenceStart && (Character.isLetterOrDigit(t.charAt(w - 1)) || t.charAt(w - 1) == '.')) {
            w--;
        }
        String word = t.substring(w, dot);
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            return true;
        }
        return word.indexOf('.') > 0 || ABBREVIATIONS.contains(word);
    }
}
