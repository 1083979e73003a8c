package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;
import dev.sparkmoe.data.domainbed.DomainBedSources;

import java.util.List;

/**
 * What {@code train} with {@code task = "domainbed"} works on: the dataset, where it is, the
 * image and patch sizes of the vision transformer, the held-out fraction of the training domains
 * (model selection) and which domains are tested.
 *
 * @param dataset     a DomainBed dataset name
 * @param dir         "embedded" or a Hadoop path to the DomainBed data root
 * @param imageSize   image side after resizing, 0 for the dataset's own
 * @param patch       patch side
 * @param holdout     fraction of each training domain held out, in (0, 1)
 * @param testDomains domain indices to test, empty for every domain
 */
public record DomainBedSettings(String dataset, String dir, int imageSize, int patch, double holdout, List<Integer> testDomains) {
    public static final String EMBEDDED = "embedded";

    public DomainBedSettings {
        if (!DomainBedSources.knownDatasets().contains(dataset)) {
            throw new IllegalArgumentException("domainbed.dataset = \"" + dataset + "\": must be one of "
                    + DomainBedSources.knownDatasets());
        }
        if (imageSize < 0) throw new IllegalArgumentException("domainbed.imageSize = " + imageSize + ": must be >= 0");
        if (patch < 1) throw new IllegalArgumentException("domainbed.patch = " + patch + ": must be >= 1");
        if (!(holdout > 0 && holdout < 1)) {
            throw new IllegalArgumentException("domainbed.holdout = " + holdout + ": must be in (0, 1)");
        }
        for (int d : testDomains) {
            if (d < 0) throw new IllegalArgumentException("domainbed.testDomains = " + testDomains + ": indices must be >= 0");
        }
        testDomains = List.copyOf(testDomains);
    }

    static DomainBedSettings from(Config c) {
        return new DomainBedSettings(c.getString("domainbed.dataset"), c.getString("domainbed.dir"),
                c.getInt("domainbed.imageSize"), c.getInt("domainbed.patch"), c.getDouble("domainbed.holdout"),
                c.getIntList("domainbed.testDomains"));
    }

    public boolean embedded() { return EMBEDDED.equals(dir); }
}
