package dev.sparkmoe.data.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParagraphSplitterTest {
    @Test
    void sentencesEndAtTerminalPunctuationBeforeACapital() {
        assertEquals(List.of("We met. ", "It rained? ", "Yes!").size(),
                ParagraphSplitter.sentences("We met. It rained? Yes!").size());
        assertEquals(List.of("We met.", "It rained?", "Yes!"), ParagraphSplitter.sentences("We met.  It rained?\nYes!"));
        assertEquals(List.of("He said \"No.\"", "Then he left."), ParagraphSplitter.sentences("He said \"No.\" Then he left."));
        assertEquals(List.of("In 1990. 1991 came."), List.of(String.join(" ", ParagraphSplitter.sentences("In 1990. 1991 came."))));
        assertEquals(2, ParagraphSplitter.sentences("In 1990. 1991 came.").size());
    }

    @Test
    void abbreviationsAndInitialsDoNotEndSentences() {
        assertEquals(List.of("Mr. Smith and John F. Kennedy met the U.S. Army in St. Louis.", "Done."),
                ParagraphSplitter.sentences("Mr. Smith and John F. Kennedy met the U.S. Army in St. Louis. Done."));
        assertEquals(1, ParagraphSplitter.sentences("costs 3.5 dollars. and more").size());
    }

    @Test
    void paragraphsGroupSentences() {
        String text = "One. Two. Three. Four. Five. Six. Seven.";
        assertEquals(List.of("One. Two. Three.", "Four. Five. Six.", "Seven."), ParagraphSplitter.paragraphs(text, 3));
        assertEquals(List.of(text), ParagraphSplitter.paragraphs(text, 10));
        assertThrows(IllegalArgumentException.class, () -> ParagraphSplitter.paragraphs(text, 0));
    }

    @Test
    void normalizeCollapsesWhitespaceAndControls() {
        assertEquals("a b c", ParagraphSplitter.normalize("  a\u0002\t b\n\nc  "));
    }
}
