package io.kubevisor.controllers.namespace;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one pass over a terminating namespace's content found.
 *
 * @param discoveryError       why discovery was incomplete, or null
 * @param groupVersionError    why some group versions could not be parsed, or null
 * @param deleteErrors         one message per resource type whose content could not be deleted
 * @param remainingByResource  objects still present, by {@code resource.group}
 * @param remainingByFinalizer objects still present, by the finalizers holding them
 * @param estimateSeconds      how long the remaining content may take to go (0: none expected)
 */
record Sweep(String discoveryError, String groupVersionError, List<String> deleteErrors,
             SortedMap<String, Integer> remainingByResource, SortedMap<String, Integer> remainingByFinalizer,
             long estimateSeconds) {

    Sweep {
        deleteErrors = List.copyOf(deleteErrors);
        remainingByResource = new TreeMap<>(remainingByResource);
        remainingByFinalizer = new TreeMap<>(remainingByFinalizer);
    }

    /** Whether something went wrong, so the namespace must not be finalized and the sweep retried. */
    boolean failed() {
        return discoveryError != null || groupVersionError != null || !deleteErrors.isEmpty();
    }

    /** Every message that made the sweep fail, for logs. */
    List<String> errors() {
        var all = new ArrayList<String>();
        if (discoveryError != null) {
            all.add(discoveryError);
        }
        if (groupVersionError != null) {
            all.add(groupVersionError);
        }
        all.addAll(deleteErrors);
        return all;
    }
}
