package dev.sparkmoe.driver.experiment;

import java.util.List;

/**
 * One router setting of the router comparison, as configuration overrides applied on top of each
 * task's job file: top-1, top-2 and top-4 (GShard/Switch), DynMoE's top-any gating with and
 * without its adaptive add/prune process, and DA-MoE's attention-derived expert count.
 *
 * @param name      the row label
 * @param slug      the run sub-directory
 * @param overrides {@code key=value} overrides
 */
public record RouterVariant(String name, String slug, List<String> overrides) {

    /** The six routers the experiment compares, in table order. */
    public static List<RouterVariant> all() {
        return List.of(
                topK(1), topK(2), topK(4),
                new RouterVariant("DynMoE", "dynmoe", List.of("router.kind=topany", "controller.enabled=true")),
                new RouterVariant("DynMoE (no add/prune)", "dynmoe-fixed", List.of("router.kind=topany", "controller.enabled=false")),
                new RouterVariant("DA-MoE", "da-moe", List.of("router.kind=attnk", "controller.enabled=false")));
    }

    private static RouterVariant topK(int k) {
        return new RouterVariant("top-" + k, "top" + k, List.of("router.kind=topk", "router.topk.k=" + k, "controller.enabled=false"));
    }
}
