package io.kubevisor.apiserver.registry;

import java.util.Objects;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.node.ObjectNode;

/**
 * One write as admission sees it, like Kubernetes' {@code admission.Attributes}. The objects are
 * in storage form and owned by the store: admission may change {@code object} on create and
 * update, never {@code oldObject}.
 *
 * @param operation   what the write does
 * @param type        the resource written
 * @param subresource "" for the object itself, else e.g. "status", "binding", "finalize"
 * @param object      the object to store; null on delete
 * @param oldObject   the stored object; null on create
 * @param user        on whose behalf; {@link UserInfo#apiServer()} for the server's own writes
 */
public record AdmissionRequest(Operation operation, ResourceType type, String subresource, ObjectNode object,
                               ObjectNode oldObject, UserInfo user) {

    /** The closed set of admitted operations. */
    public enum Operation { CREATE, UPDATE, DELETE }

    public AdmissionRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(user, "user");
        subresource = subresource == null ? "" : subresource;
        if (object == null && oldObject == null) {
            throw new IllegalArgumentException("an admission request needs an object");
        }
    }

    public static AdmissionRequest create(ResourceType type, ObjectNode object, UserInfo user) {
        return new AdmissionRequest(Operation.CREATE, type, "", object, null, user);
    }

    public static AdmissionRequest update(ResourceType type, String subresource, ObjectNode object,
                                          ObjectNode oldObject, UserInfo user) {
        return new AdmissionRequest(Operation.UPDATE, type, subresource, object, oldObject, user);
    }

    public static AdmissionRequest delete(ResourceType type, ObjectNode oldObject, UserInfo user) {
        return new AdmissionRequest(Operation.DELETE, type, "", null, oldObject, user);
    }

    /** The object's name (of the new object, or of the stored one on delete). */
    public String name() {
        return (object != null ? object : oldObject).path("metadata").path("name").asString("");
    }

    /** The object's namespace, "" when cluster-scoped. */
    public String namespace() {
        return (object != null ? object : oldObject).path("metadata").path("namespace").asString("");
    }

    /**
     * The 403 an admission plugin answers, as Kubernetes' {@code admission.NewForbidden} words it:
     * {@code <resource>[.<group>] "<name>" is forbidden: <reason>}.
     */
    public ApiException.Forbidden forbidden(String reason) {
        String name = name();
        String what = name.isEmpty() ? type.qualifiedName() : type.qualifiedName() + " \"" + name + "\"";
        return new ApiException.Forbidden(type.group(), type.plural(), name.isEmpty() ? null : name,
                what + " is forbidden: " + reason);
    }
}
