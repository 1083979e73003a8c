package dev.sparkmoe.driver.config;

import com.typesafe.config.Config;

/**
 * The adaptive add/prune process (ROUTING.md §4).
 *
 * @param enabled     run the controller at all
 * @param recordSteps steps per record window (W)
 * @param idleSteps   steps to idle after each update (T)
 * @param minExperts  a layer never drops below this
 * @param maxExperts  a layer never grows beyond this
 */
public record ControllerSettings(boolean enabled, int recordSteps, int idleSteps, int minExperts, int maxExperts) {

    public ControllerSettings {
        if (recordSteps < 1) throw new IllegalArgumentException("controller.recordSteps = " + recordSteps + ": must be >= 1");
        if (idleSteps < 0) throw new IllegalArgumentException("controller.idleSteps = " + idleSteps + ": must be >= 0");
        if (minExperts < 1) throw new IllegalArgumentException("controller.minExperts = " + minExperts + ": must be >= 1");
        if (maxExperts < minExperts) {
            throw new IllegalArgumentException("controller.maxExperts = " + maxExperts
                    + ": must be >= controller.minExperts (" + minExperts + ")");
        }
    }

    static ControllerSettings from(Config c) {
        return new ControllerSettings(c.getBoolean("controller.enabled"), c.getInt("controller.recordSteps"),
                c.getInt("controller.idleSteps"), c.getInt("controller.minExperts"), c.getInt("controller.maxExperts"));
    }
}
