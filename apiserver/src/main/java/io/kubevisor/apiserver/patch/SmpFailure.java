package io.kubevisor.apiserver.patch;

import io.kubevisor.api.ApiException;

/**
 * A strategic merge patch that cannot be applied, classified the way kube-apiserver classifies
 * strategicpatch errors: malformed directives are 400, lists of lists and retainKeys mismatches
 * are 422, anything else (missing merge key, mixed element types) surfaces as a 500.
 */
final class SmpFailure extends RuntimeException {

    enum Kind { BAD_REQUEST, UNPROCESSABLE, INTERNAL }

    private final Kind kind;

    private SmpFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static SmpFailure badRequest(String message) {
        return new SmpFailure(Kind.BAD_REQUEST, message);
    }

    static SmpFailure unprocessable(String message) {
        return new SmpFailure(Kind.UNPROCESSABLE, message);
    }

    static SmpFailure internal(String message) {
        return new SmpFailure(Kind.INTERNAL, message);
    }

    static SmpFailure badPrimitiveList() {
        return badRequest("invalid patch format of primitive list");
    }

    static SmpFailure badRetainKeys() {
        return badRequest("invalid patch format of retainKeys");
    }

    static SmpFailure badSetElementOrder() {
        return badRequest("invalid patch format of setElementOrder list");
    }

    static SmpFailure noListOfLists() {
        return unprocessable("lists of lists are not supported");
    }

    static SmpFailure noMergeKey(Object map, String key) {
        return internal("map: " + map + " does not contain declared merge key: " + key);
    }

    ApiException toApiException() {
        return switch (kind) {
            case BAD_REQUEST -> new ApiException.BadRequest(getMessage());
            case UNPROCESSABLE -> ApiException.Invalid.unprocessable(getMessage());
            case INTERNAL -> new ApiException.InternalError(getMessage());
        };
    }
}
