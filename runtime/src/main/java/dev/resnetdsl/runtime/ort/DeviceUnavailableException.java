package dev.resnetdsl.runtime.ort;

import dev.resnetdsl.runtime.Remedy;

/**
 * The requested device cannot be used (for example CUDA with ONNX Runtime's CPU-only build, or without a GPU).
 * The message is one line that says why; the remedy is to run on the CPU.
 */
public final class DeviceUnavailableException extends IllegalStateException implements Remedy.Carrier {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Remedy remedy() {
        return Remedy.CPU_DEVICE;
    }
}
