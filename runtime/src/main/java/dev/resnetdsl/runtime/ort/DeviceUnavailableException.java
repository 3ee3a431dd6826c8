package dev.resnetdsl.runtime.ort;

/**
 * The requested device cannot be used (for example CUDA with ONNX Runtime's CPU-only build, or without a GPU).
 * The message is one line that says why and what to do.
 */
public final class DeviceUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
