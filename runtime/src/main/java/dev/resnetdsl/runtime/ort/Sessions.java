package dev.resnetdsl.runtime.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates ONNX Runtime sessions on a {@link Device}, with all graph optimisations on. CUDA needs ONNX
 * Runtime's GPU build (Maven profile {@code cuda}: {@code mvn -Pcuda install}) plus CUDA 12 and cuDNN 9 on the
 * machine; when it cannot be had the failure is a {@link DeviceUnavailableException} with a one-line reason.
 */
public final class Sessions {
    private static volatile OrtEnvironment environment;

    private Sessions() {}

    /**
     * The process-wide ONNX Runtime environment, created on first use by {@link EnvironmentStartup} (which says why
     * that needs a thread of its own).
     */
    public static OrtEnvironment environment() {
        OrtEnvironment env = environment;
        if (env == null) {
            synchronized (Sessions.class) {
                env = environment;
                if (env == null) {
                    env = EnvironmentStartup.create();
                    environment = env;
                }
            }
        }
        return env;
    }

    /** Session options for {@code device}: all optimisations; the CUDA provider for a GPU. */
    public static OrtSession.SessionOptions options(Device device) {
        return options(SessionSettings.of(device));
    }

    /** Session options for {@code settings}: all optimisations; the CUDA provider for a GPU; the thread count. */
    public static OrtSession.SessionOptions options(SessionSettings settings) {
        environment();
        Device device = settings.device();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (device.kind() == Device.Kind.CUDA) {
                options.addCUDA(device.index());
            }
            return options;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            options.close();
            throw cudaUnavailable(device, e);
        }
    }

    /** A session for the model file at {@code model} (external data files are found next to it). */
    public static OrtSession open(Path model, Device device) throws IOException {
        return open(model, SessionSettings.of(device));
    }

    /** A session for the model file at {@code model}, run as {@code settings} say. */
    public static OrtSession open(Path model, SessionSettings settings) throws IOException {
        if (!Files.isRegularFile(model)) {
            // A FIFO would block ONNX Runtime's reader forever; a directory or device is no model either.
            throw new IOException(model + (Files.exists(model) ? ": not a regular file" : ": no such file"));
        }
        try (OrtSession.SessionOptions options = options(settings)) {
            return environment().createSession(model.toString(), options);
        } catch (OrtException e) {
            throw failure(model.toString(), settings.device(), e);
        }
    }

    /** A session for a serialised model held in memory (it must not use external data). */
    public static OrtSession open(byte[] model, Device device) throws IOException {
        return open(model, SessionSettings.of(device));
    }

    /** A session for a serialised model held in memory, run as {@code settings} say. */
    public static OrtSession open(byte[] model, SessionSettings settings) throws IOException {
        try (OrtSession.SessionOptions options = options(settings)) {
            return environment().createSession(model, options);
        } catch (OrtException e) {
            throw failure("model", settings.device(), e);
        }
    }

    private static IOException failure(String what, Device device, OrtException e) {
        String message = firstLine(e.getMessage());
        if (device.kind() == Device.Kind.CUDA
                && message.toLowerCase(java.util.Locale.ROOT).contains("cuda")) {
            throw cudaUnavailable(device, e);
        }
        return new IOException(what + ": ONNX Runtime cannot load it: " + message, e);
    }

    static DeviceUnavailableException cudaUnavailable(Device device, Throwable cause) {
        String reason = firstLine(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        String hint;
        if (reason.contains("Failed to find CUDA shared provider")) {
            hint = "this build has ONNX Runtime's CPU-only library; CUDA needs the build made with the Maven profile"
                    + " 'cuda' (mvn -Pcuda install) and CUDA 12 with cuDNN 9 on the machine";
        } else {
            hint = "ONNX Runtime's CUDA provider could not start (" + reason
                    + "); it needs an NVIDIA GPU with CUDA 12 and cuDNN 9 libraries on the library path";
        }
        return new DeviceUnavailableException("cannot use device " + device + ": " + hint, cause);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
