package io.kubevisor.runtime.image;

/**
 * Why an image could not be made available. Each subtype is one Kubernetes container waiting
 * reason ({@link #reason()}); the message reads like the one containerd gives the kubelet, so a
 * user of {@code kubectl describe} sees familiar text.
 */
public abstract sealed class ImageException extends RuntimeException {

    private ImageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The container waiting reason the kubelet would show, e.g. {@code ErrImagePull}. */
    public abstract String reason();

    /** The registry or the network failed us: missing tag, denied access, bad digest, no route. */
    public static final class ErrImagePull extends ImageException {
        public ErrImagePull(String message) {
            this(message, null);
        }

        public ErrImagePull(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "ErrImagePull";
        }
    }

    /** The image reference does not parse; nothing was contacted. */
    public static final class InvalidImageName extends ImageException {
        public InvalidImageName(String message) {
            super(message, null);
        }

        @Override
        public String reason() {
            return "InvalidImageName";
        }
    }

    /** Pull policy Never and the image is not in the store. */
    public static final class ErrImageNeverPull extends ImageException {
        public ErrImageNeverPull(String message) {
            super(message, null);
        }

        @Override
        public String reason() {
            return "ErrImageNeverPull";
        }
    }

    /** The image is recorded locally but its metadata cannot be read (a damaged store). */
    public static final class ImageInspectError extends ImageException {
        public ImageInspectError(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return "ImageInspectError";
        }
    }
}
