package dev.resnetdsl.runtime.ort;

import java.util.Objects;

/**
 * How an ONNX Runtime session runs: on which {@link Device}, and with how many threads one run may use. Several
 * sessions (or several Spark tasks sharing one) on a machine should split its cores between them instead of each
 * taking them all, which is what ONNX Runtime does by default.
 *
 * @param device where the session runs
 * @param intraOpThreads the threads one run of the session may use, the calling thread included; 0 lets ONNX Runtime
 *     decide (one per core)
 */
public record SessionSettings(Device device, int intraOpThreads) implements java.io.Serializable {
    /** More threads than this per session is a mistake, not a machine. */
    public static final int MAX_THREADS = 1024;

    public SessionSettings {
        Objects.requireNonNull(device, "device");
        if (intraOpThreads < 0 || intraOpThreads > MAX_THREADS) {
            throw new IllegalArgumentException("threads per session must be between 0 (ONNX Runtime decides) and "
                    + MAX_THREADS + ", got " + intraOpThreads);
        }
    }

    /** On {@code device}, with as many threads as ONNX Runtime chooses. */
    public static SessionSettings of(Device device) {
        return new SessionSettings(device, 0);
    }

    /** With {@code threads} threads per run (0: ONNX Runtime decides). */
    public SessionSettings withIntraOpThreads(int threads) {
        return new SessionSettings(device, threads);
    }

    @Override
    public String toString() {
        return device + (intraOpThreads == 0 ? "" : ", " + intraOpThreads + " thread(s)");
    }
}
