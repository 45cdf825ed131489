package io.kubevisor.apiserver.auth.rbac;

import java.util.List;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a user may do in a namespace: the answer to a SelfSubjectRulesReview. Immutable.
 *
 * @param resourceRules    rules with resources, in binding order
 * @param nonResourceRules rules with non-resource URLs, in binding order
 * @param incomplete       true if the list may be missing rules
 * @param evaluationError  why some bindings could not be resolved, or ""
 */
public record SubjectRules(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules,
                           boolean incomplete, String evaluationError) {

    public SubjectRules {
        resourceRules = List.copyOf(resourceRules);
        nonResourceRules = List.copyOf(nonResourceRules);
        evaluationError = evaluationError == null ? "" : evaluationError;
    }

    /** A resource rule as SubjectRulesReviewStatus lists it. */
    public record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                               List<String> resourceNames) {
        public ResourceRule {
            verbs = List.copyOf(verbs);
            apiGroups = List.copyOf(apiGroups);
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }
    }

    /** A non-resource rule as SubjectRulesReviewStatus lists it. */
    public record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {
        public NonResourceRule {
            verbs = List.copyOf(verbs);
            nonResourceURLs = List.copyOf(nonResourceURLs);
        }
    }

    /** These rules marked incomplete, with {@code error} added to the evaluation error. */
    public SubjectRules incomplete(String error) {
        String errors = evaluationError.isEmpty() ? error : evaluationError + ", " + error;
        return new SubjectRules(resourceRules, nonResourceRules, true, errors);
    }

    /** The {@code status} of a SelfSubjectRulesReview (authorization.k8s.io/v1). */
    public ObjectNode toStatus() {
        ObjectNode s = Json.object();
        ArrayNode rr = s.putArray("resourceRules");
        for (ResourceRule r : resourceRules) {
            ObjectNode n = rr.addObject();
            strings(n, "verbs", r.verbs(), true);
            strings(n, "apiGroups", r.apiGroups(), false);
            strings(n, "resources", r.resources(), false);
            strings(n, "resourceNames", r.resourceNames(), false);
        }
        ArrayNode nr = s.putArray("nonResourceRules");
        for (NonResourceRule r : nonResourceRules) {
            ObjectNode n = nr.addObject();
            strings(n, "verbs", r.verbs(), true);
            strings(n, "nonResourceURLs", r.nonResourceURLs(), false);
        }
        s.put("incomplete", incomplete);
        if (!evaluationError.isEmpty()) {
            s.put("evaluationError", evaluationError);
        }
        return s;
    }

    private static void strings(ObjectNode n, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) {
            return;
        }
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
    }
}
