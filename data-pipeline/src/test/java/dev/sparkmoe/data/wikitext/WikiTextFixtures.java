package dev.sparkmoe.data.wikitext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.fs.Path;

/** Small hand-made files in the real WikiText-2 layouts. */
final class WikiTextFixtures {
    private WikiTextFixtures() {}

    /** Tokenized variant: 2 articles, 4 sections (2 lead), 5 paragraphs, @-@ @,@ @.@ markers and {@code <unk>}. */
    static final String TOKENS = String.join("\n",
            " ",
            " = Valkyria Chronicles III = ",
            " ",
            " Senjō no Valkyria 3 : <unk> Chronicles ( Japanese : 戦場のヴァルキュリア3 , lit . Valkyria of the Battlefield 3 ) ,"
                    + " is a tactical role @-@ playing video game . ",
            " The game began development in 2010 , carrying over a large portion of the work . ",
            " ",
            " = = Gameplay = = ",
            " ",
            " As with previous <unk> Chronicles games , it is a tactical role @-@ playing game . ",
            " ",
            " = = = Plot = = = ",
            " ",
            " It costs 1 @,@ 000 points and 3 @.@ 5 hours . ",
            " ",
            " = Tower Building of the Little Rock Arsenal = ",
            " ",
            " The Tower Building , also known as U.S. Arsenal Building , is a building in MacArthur Park . ",
            "");

    /** Raw variant of the same text. */
    static final String RAW = String.join("\n",
            " ",
            " = Valkyria Chronicles III = ",
            " ",
            " Senjō no Valkyria 3: Unrecorded Chronicles (Japanese: 戦場のヴァルキュリア3, lit. Valkyria of the Battlefield 3),"
                    + " is a tactical role-playing video game. ",
            " The game began development in 2010, carrying over a large portion of the work. ",
            " ",
            " = = Gameplay = = ",
            " ",
            " As with previous Valkyria Chronicles games, it is a tactical role-playing game. ",
            " ",
            " = = = Plot = = = ",
            " ",
            " It costs 1,000 points and 3.5 hours. ",
            " ",
            " = Tower Building of the Little Rock Arsenal = ",
            " ",
            " The Tower Building, also known as U.S. Arsenal Building, is a building in MacArthur Park. ",
            "");

    /** Writes {@code content} as all three splits of {@code variant} into {@code dir}; returns the Hadoop path. */
    static Path writeCorpus(java.nio.file.Path dir, WikiTextVariant variant, String content) throws IOException {
        return writeCorpus(dir, variant, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path writeCorpus(java.nio.file.Path dir, WikiTextVariant variant, byte[] content) throws IOException {
        Files.createDirectories(dir);
        for (WikiTextSplit s : WikiTextSplit.values()) {
            Files.write(dir.resolve(s.fileName(variant)), content);
        }
        return new Path(dir.toUri());
    }
}
