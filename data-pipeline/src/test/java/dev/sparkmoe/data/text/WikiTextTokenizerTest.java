package dev.sparkmoe.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WikiTextTokenizerTest {
    private static final WikiTextTokenizer RAW = WikiTextTokenizer.INSTANCE;

    private static String tok(String text) {
        return RAW.tokenizeToLine(text);
    }

    @Test
    void splitsPunctuation() {
        assertEquals("Hello , world !", tok("Hello, world!"));
        assertEquals("( Japanese : x ) ; \" quoted \" ?", tok("(Japanese: x); \"quoted\"?"));
        assertEquals("$ 100 and 5 %", tok("$100 and 5%"));
        assertEquals("wait ... then -- go", tok("wait... then -- go"));
    }

    @Test
    void numbersGetCommaAndDotMarkers() {
        assertEquals("1 @,@ 000", tok("1,000"));
        assertEquals("3 @.@ 5 %", tok("3.5%"));
        assertEquals("$ 1 @,@ 000 @.@ 50 .", tok("$1,000.50."));
        assertEquals("In 1990 .", tok("In 1990."));
        assertEquals("a , 5", tok("a, 5"));
        assertEquals("5 , b", tok("5,b"));
    }

    @Test
    void hyphensInsideWordsGetMarkers() {
        assertEquals("role @-@ playing", tok("role-playing"));
        assertEquals("2 @-@ 3", tok("2-3"));
        assertEquals("state @-@ of @-@ the @-@ art", tok("state-of-the-art"));
        assertEquals("- 5", tok("-5"));
        assertEquals("end - and", tok("end- and"));
    }

    @Test
    void apostrophesSplitContractionsAndPossessives() {
        assertEquals("don 't", tok("don't"));
        assertEquals("the nation 's", tok("the nation's"));
        assertEquals("the nation \u2019s", tok("the nation\u2019s"));
        assertEquals("Americans '", tok("Americans'"));
    }

    @Test
    void abbreviationsKeepTheirPeriod() {
        assertEquals("Mr. Smith went to the U.S. today .", tok("Mr. Smith went to the U.S. today."));
        assertEquals("John F. Kennedy", tok("John F. Kennedy"));
        assertEquals("Sega and Media.Vision", tok("Sega and Media.Vision"));
        assertEquals("U.S. ,", tok("U.S.,"));
    }

    @Test
    void unicodeLettersStayInWordsAndUnicodePunctuationSplits() {
        assertEquals("Senjō 戦場のヴァルキュリア3 ,", tok("Senjō 戦場のヴァルキュリア3,"));
        assertEquals("peace \u2014 and \u201C this \u201D", tok("peace\u2014and \u201Cthis\u201D"));
        assertEquals("naïve café", tok("naïve café"));
    }

    @Test
    void reproducesAWikiText2Line() {
        String raw = "Senjō no Valkyria 3: Unrecorded Chronicles (Japanese: 戦場のヴァルキュリア3, lit. Valkyria of the"
                + " Battlefield 3), commonly referred to as Valkyria Chronicles III outside Japan, is a tactical"
                + " role-playing video game developed by Sega and Media.Vision for the PlayStation Portable.";
        String tokens = "Senjō no Valkyria 3 : Unrecorded Chronicles ( Japanese : 戦場のヴァルキュリア3 , lit . Valkyria of"
                + " the Battlefield 3 ) , commonly referred to as Valkyria Chronicles III outside Japan , is a tactical"
                + " role @-@ playing video game developed by Sega and Media.Vision for the PlayStation Portable .";
        assertEquals(tokens, tok(raw));
    }

    @Test
    void emptyAndBlankInputGiveNoTokens() {
        assertEquals(List.of(), RAW.tokens(""));
        assertEquals(List.of(), RAW.tokens(" \t "));
    }

    @Test
    void sinkRangesMatchStringTokens() {
        String text = "It costs 1,000 points — don't.";
        byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        int off = 2;
        int len = text.getBytes(StandardCharsets.UTF_8).length;
        List<String> viaSink = new ArrayList<>();
        RAW.tokenize(b, off, len, (buf, o, l) -> viaSink.add(new String(buf, o, l, StandardCharsets.UTF_8)));
        assertEquals(RAW.tokens(text), viaSink);
        assertEquals(List.of("It", "costs", "1", "@,@", "000", "points", "—", "don", "'t", "."), viaSink);
    }

    @Test
    void whitespaceTokenizerKeepsMarkersAndUnk() {
        WhitespaceTokenizer ws = WhitespaceTokenizer.INSTANCE;
        assertEquals(List.of("a", "@-@", "b", "<unk>", "1", "@,@", "000"), ws.tokens("  a @-@ b\t<unk>  1 @,@ 000 \r"));
        assertEquals("a b", ws.tokenizeToLine(" a  b "));
        assertEquals(List.of(), ws.tokens("   "));
    }
}
