/**
 * Converters from the registry packages of DATA.md into the real dataset layouts:
 * {@link dev.sparkmoe.data.convert.SotuConverter} (State of the Union → WikiText layout).
 */
package dev.sparkmoe.data.convert;
