package dev.sparkmoe.data.domainbed;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The folder datasets of DomainBed, each with the folder names DomainBed's download script
 * writes under the data root ({@code domainbed/datasets.py}: {@code PACS/}, {@code VLCS/},
 * {@code office_home/}, {@code terra_incognita/}, {@code domain_net/}) and the dataset's own
 * name as an alternative folder ({@code ROOT/OfficeHome/...}), tried in that order.
 * {@link #environments()} lists DomainBed's environment labels for reference; the domains
 * actually read are the sorted sub-folders, as DomainBed does.
 */
public enum DomainBedDataset {
    /** PACS: art_painting, cartoon, photo, sketch; 7 classes. */
    PACS("PACS", List.of("A", "C", "P", "S")),
    /** VLCS: Caltech101, LabelMe, SUN09, VOC2007; 5 classes. */
    VLCS("VLCS", List.of("C", "L", "S", "V")),
    /** OfficeHome: Art, Clipart, Product, Real World; 65 classes. */
    OFFICE_HOME("office_home", List.of("A", "C", "P", "R")),
    /** TerraIncognita: camera locations 100, 38, 43, 46; 10 classes. */
    TERRA_INCOGNITA("terra_incognita", List.of("L100", "L38", "L43", "L46")),
    /** DomainNet: clipart, infograph, painting, quickdraw, real, sketch; 345 classes. */
    DOMAIN_NET("domain_net", List.of("clip", "info", "paint", "quick", "real", "sketch"));

    private final String folder;
    private final List<String> environments;

    DomainBedDataset(String folder, List<String> environments) {
        this.folder = folder;
        this.environments = environments;
    }

    /** The dataset's name as DomainBed spells it: PACS, VLCS, OfficeHome, TerraIncognita, DomainNet. */
    public String displayName() {
        return switch (this) {
            case OFFICE_HOME -> "OfficeHome";
            case TERRA_INCOGNITA -> "TerraIncognita";
            case DOMAIN_NET -> "DomainNet";
            default -> name();
        };
    }

    /** Folder names under the data root to try, DomainBed's first. */
    public List<String> folders() {
        return folder.equals(displayName()) ? List.of(folder) : List.of(folder, displayName());
    }

    /** DomainBed's environment labels, in its order. */
    public List<String> environments() {
        return environments;
    }

    /**
     * The dataset named {@code name}: its display name, enum name or DomainBed folder name,
     * case-insensitively.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static DomainBedDataset forName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (DomainBedDataset d : values()) {
            if (n.equals(d.displayName().toLowerCase(Locale.ROOT)) || n.equals(d.name().toLowerCase(Locale.ROOT))
                    || n.equals(d.folder.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown DomainBed dataset '" + name + "'; expected one of "
                + Arrays.stream(values()).map(DomainBedDataset::displayName).collect(Collectors.joining(", ")));
    }
}
