package dev.sparkmoe.data.glue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.fs.Path;

/** Small hand-made files in GLUE's real TSV layouts (rows modelled on the real files). */
final class GlueFixtures {
    private GlueFixtures() {}

    static final String COLA_TRAIN = String.join("\n",
            "gj04\t1\t\tOur friends won't buy this analysis, let alone the next one we propose.",
            "gj04\t0\t*\tThey drank the pub.",
            "gj04\t1\t\tThe more we study verbs, the crazier they get.",
            "");
    static final String COLA_TEST = "index\tsentence\n0\tBill whistled past the house.\n1\tThe car honked down the road.\n";
    static final String SST2_TRAIN = "sentence\tlabel\nhide new secretions from the parental units \t0\n"
            + "contains no wit , only labored gags \t0\nthat loves its characters \t1\n";
    static final String SST2_TEST = "index\tsentence\n0\tuneasy mishmash of styles and genres .\n";
    static final String MRPC_TRAIN = "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
            + "1\t702876\t702977\tAmrozi accused his brother.\tReferring to him only as \" the witness \", Amrozi accused.\n"
            + "0\t2108705\t2108831\tYucaipa owned Dominick 's.\tYucaipa bought Dominick 's in 1995.\n";
    static final String MRPC_TEST = "index\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
            + "0\t1089874\t1089925\tPCCW 's chief.\tCommon Stock.\n";
    static final String STSB_DEV = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
            + "0\tmain-captions\tMSRvid\t2012test\t0000\tnone\tnone\tA man with a hard hat is dancing.\tA man wearing a hard hat is dancing.\t5.000\n"
            + "1\tmain-captions\tMSRvid\t2012test\t0002\tnone\tnone\tA young child is riding a horse.\tA child is riding a horse.\t4.750\n";
    static final String STSB_TEST = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\n"
            + "0\tmain-captions\tMSRvid\t2012test\t0024\tnone\tnone\tA girl is styling her hair.\tA girl is brushing her hair.\n";
    static final String QQP_TRAIN = "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
            + "133273\t213221\t213222\tHow is the life of a math student?\tWhich level of prepration is enough?\t0\n"
            + "402555\t536040\t536041\tHow do I control my horny emotions?\tHow do you control your \"horniness?\t1\n";
    static final String QQP_TEST = "id\tquestion1\tquestion2\n0\tWhy am I mentally very lonely?\tFind me a \"good\" book?\n";
    static final String MNLI_HEAD = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
            + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2";
    static final String MNLI_TRAIN = MNLI_HEAD + "\tlabel1\tgold_label\n"
            + "0\t31193\t31193n\tgovernment\t( ( Conceptually cream ) )\t( Product )\t(ROOT)\t(ROOT)"
            + "\tConceptually cream skimming has two basic dimensions.\tProduct and geography are what make it work.\tneutral\tneutral\n"
            + "1\t101457\t101457e\ttelephone\t( you )\t( You )\t(ROOT)\t(ROOT)\tyou know \"during the season\tYou lose the things.\tentailment\tentailment\n";
    static final String MNLI_DEV = MNLI_HEAD + "\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label\n"
            + "0\t63735\t63735n\tslate\t( ( The )\t( The )\t(ROOT)\t(ROOT)\tThe new rights are nice enough\tEveryone really likes"
            + "\tneutral\tentailment\tneutral\tneutral\tneutral\tneutral\n"
            + "1\t91383\t91383c\tgovernment\t( This )\t( The )\t(ROOT)\t(ROOT)\tThis site includes a list.\tThe Government site."
            + "\tcontradiction\tcontradiction\tcontradiction\tcontradiction\tcontradiction\tcontradiction\n";
    static final String MNLI_TEST = MNLI_HEAD + "\n"
            + "0\t31193\t31193n\tfiction\t( a )\t( b )\t(ROOT)\t(ROOT)\tHe said hi.\tHe spoke.\n";
    static final String QNLI_DEV = "index\tquestion\tsentence\tlabel\n"
            + "0\tWhat came into force after the new constitution?\tThe law came into force.\tentailment\n"
            + "1\tWhat is the first major city?\tThe city is large.\tnot_entailment\n";
    static final String RTE_TRAIN = "index\tsentence1\tsentence2\tlabel\n"
            + "0\tNo Weapons of Mass Destruction Found in Iraq Yet.\tWeapons of Mass Destruction Found in Iraq.\tnot_entailment\n";
    static final String WNLI_TRAIN = "index\tsentence1\tsentence2\tlabel\n"
            + "0\tI stuck a pin through a carrot.\tThe carrot had a hole.\t1\n1\tJohn couldn't see.\tJohn is so short.\t0\n";
    static final String AX = "index\tsentence1\tsentence2\n0\tThe cat sat on the mat.\tThe cat did not sit on the mat.\n";

    /** Writes {@code content} (UTF-8) to {@code root/folder/name}; returns the Hadoop path of {@code root}. */
    static Path write(java.nio.file.Path root, String folder, String name, String content) throws IOException {
        return write(root, folder, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(java.nio.file.Path root, String folder, String name, byte[] content) throws IOException {
        java.nio.file.Path dir = root.resolve(folder);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), content);
        return new Path(root.toUri());
    }
}
