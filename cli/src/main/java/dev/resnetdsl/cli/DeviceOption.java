package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.ort.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --device} option of every command that runs ONNX Runtime (a picocli mixin, so that all of them
 * spell and document it alike), and opening models on it. A bad device name or a device this machine or build
 * lacks needs no handling here: {@link ErrorReporter} reports both as one-line user errors (exit 1).
 */
final class DeviceOption {
    @Option(
            names = "--device",
            paramLabel = "D",
            defaultValue = "cpu",
            description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}; cuda needs the -Pcuda build)")
    String name;

    /** The parsed device. */
    Device device() {
        return Device.parse(name);
    }

    @Override
    public String toString() {
        return name;
    }

    /** An inference session for {@code model} on {@code device}. */
    static Inference open(Path model, Device device) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new UserError(model + (Files.exists(model) ? ": not a regular file" : ": no such file"));
        }
        return Inference.open(model, device);
    }
}
