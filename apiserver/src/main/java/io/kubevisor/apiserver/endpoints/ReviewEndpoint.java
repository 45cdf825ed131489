package io.kubevisor.apiserver.endpoints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.auth.rbac.Attributes;
import io.kubevisor.apiserver.auth.rbac.Authorizer;
import io.kubevisor.apiserver.auth.rbac.Decision;
import io.kubevisor.apiserver.auth.rbac.SubjectRules;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The authorization.k8s.io reviews: create-only, never stored, answered with the object and its
 * status ({@code kubectl auth can-i} and {@code --list}).
 */
public final class ReviewEndpoint {

    /** What a user may do in a namespace (SelfSubjectRulesReview). */
    @FunctionalInterface
    public interface RulesReviewer {
        SubjectRules rulesFor(UserInfo user, String namespace);
    }

    private final BodyReader bodies;
    private final ObjectRenderer renderer;
    private final Authorizer authorizer;
    private final RulesReviewer rules;

    ReviewEndpoint(BodyReader bodies, ObjectRenderer renderer, Authorizer authorizer, RulesReviewer rules) {
        this.bodies = bodies;
        this.renderer = renderer;
        this.authorizer = authorizer;
        this.rules = rules;
    }

    void serve(ResourceContext ctx) {
        if (!ctx.info().verb().equals("create")) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode review = bodies.read(ctx.exchange().body(), ctx.contentType(), ctx.type().gvk(),
                FieldValidation.parse(ctx.query().get("fieldValidation", "")), ctx.warnings());
        ObjectNode meta = review.get("metadata") instanceof ObjectNode m ? m : review.putObject("metadata");
        meta.putNull("creationTimestamp");
        JsonNode spec = review.path("spec");
        ObjectNode status = review.putObject("status");
        switch (ctx.type().kind()) {
            case "SelfSubjectRulesReview" -> {
                String ns = spec.path("namespace").asString("");
                review.set("status", rules.rulesFor(ctx.user(), ns).toStatus());
            }
            case "SelfSubjectAccessReview" -> decide(review, status, ctx.user(), spec, null);
            case "LocalSubjectAccessReview" -> {
                String ns = spec.path("resourceAttributes").path("namespace").asString("");
                if (!ns.equals(ctx.namespace()) || spec.has("nonResourceAttributes")) {
                    throw invalid(ctx, List.of(FieldError.invalid("spec.resourceAttributes.namespace", ns,
                            "must match metadata.namespace")));
                }
                meta.put("namespace", ctx.namespace());
                decide(review, status, subject(ctx, spec), spec, ctx.namespace());
            }
            case "SubjectAccessReview" -> decide(review, status, subject(ctx, spec), spec, null);
            default -> throw ApiException.NotFound.path();
        }
        renderer.one(ctx, 201, review);
    }

    private void decide(ObjectNode review, ObjectNode status, UserInfo user, JsonNode spec, String namespace) {
        JsonNode ra = spec.get("resourceAttributes");
        JsonNode na = spec.get("nonResourceAttributes");
        if ((ra == null || ra.isNull()) == (na == null || na.isNull())) {
            throw new ApiException.Invalid(review.path("apiVersion").asString("").split("/")[0],
                    review.path("kind").asString(""), "", List.of(FieldError.invalid("spec.resourceAttributes",
                    spec.toString(), "exactly one of nonResourceAttributes or resourceAttributes must be specified")));
        }
        Attributes a = ra != null && !ra.isNull()
                ? Attributes.resource(user, ra.path("verb").asString(""),
                namespace != null ? namespace : ra.path("namespace").asString(""), ra.path("group").asString(""),
                ra.path("resource").asString(""), ra.path("subresource").asString(""), ra.path("name").asString(""))
                : Attributes.nonResource(user, na.path("verb").asString(""), na.path("path").asString(""));
        Decision d = authorizer.authorize(a);
        status.put("allowed", d.allowed());
        if (d.denied()) {
            status.put("denied", true);
        }
        if (d.reason() != null && !d.reason().isEmpty()) {
            status.put("reason", d.reason());
        }
    }

    private static UserInfo subject(ResourceContext ctx, JsonNode spec) {
        String user = spec.path("user").asString("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asString("")));
        if (user.isEmpty() && groups.isEmpty()) {
            throw invalid(ctx, List.of(FieldError.invalid("spec.user", "",
                    "at least one of user or group must be specified")));
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (spec.path("extra").isObject()) {
            for (Map.Entry<String, JsonNode> e : spec.path("extra").properties()) {
                List<String> vs = new ArrayList<>();
                e.getValue().forEach(v -> vs.add(v.asString("")));
                extra.put(e.getKey(), vs);
            }
        }
        return new UserInfo(user, spec.path("uid").asString(""), groups, extra);
    }

    private static ApiException invalid(ResourceContext ctx, List<FieldError> errs) {
        return new ApiException.Invalid(ctx.type().group(), ctx.type().kind(), "", errs);
    }
}
