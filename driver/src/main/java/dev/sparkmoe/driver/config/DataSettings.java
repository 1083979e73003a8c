package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;

/**
 * Where the language-model corpus comes from and how it is tokenised.
 *
 * @param corpus            "embedded" or a Hadoop path to a WikiText folder
 * @param variant           "tokens" or "raw"
 * @param vocabMaxSize      vocabulary size limit, special tokens included
 * @param vocabMinFrequency minimum count of a kept token
 * @param strict            fail at the first malformed record
 */
public record DataSettings(String corpus, String variant, int vocabMaxSize, int vocabMinFrequency, boolean strict) {

    public static final String EMBEDDED = "embedded";

    public DataSettings {
        if (!variant.equals("tokens") && !variant.equals("raw")) {
            throw new IllegalArgumentException("data.variant = \"" + variant + "\": must be tokens or raw");
        }
        if (vocabMaxSize < 8) throw new IllegalArgumentException("data.vocab.maxSize = " + vocabMaxSize + ": must be >= 8");
        if (vocabMinFrequency < 1) {
            throw new IllegalArgumentException("data.vocab.minFrequency = " + vocabMinFrequency + ": must be >= 1");
        }
    }

    static DataSettings from(Config c) {
        return new DataSettings(c.getString("data.corpus"), c.getString("data.variant"), c.getInt("data.vocab.maxSize"),
                c.getInt("data.vocab.minFrequency"), c.getBoolean("data.strict"));
    }

    public boolean embedded() { return EMBEDDED.equals(corpus); }
}
