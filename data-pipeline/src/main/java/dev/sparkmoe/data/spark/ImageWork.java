package dev.sparkmoe.data.spark;

import java.io.Serializable;

/**
 * A unit of decoding work for {@link DomainBedSpark#decodeFolder}: images {@code indices} of
 * domain {@code domain} of a {@link dev.sparkmoe.data.domainbed.DomainBedFolder} index, in
 * increasing order. Built on the driver, decoded on an executor; plain data.
 *
 * @param domain  the domain id
 * @param indices {@code [n]} image indices within the domain, increasing
 */
record ImageWork(int domain, int[] indices) implements Serializable {}
