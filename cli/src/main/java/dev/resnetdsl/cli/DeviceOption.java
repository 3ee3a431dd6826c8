package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.DeviceUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens models on the device a command line asked for, turning device problems into user errors. */
final class DeviceOption {
    private DeviceOption() {}

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
    static Device parse(String text) {
        try {
            return Device.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** An inference session for {@code model} on {@code device}. */
    static Inference open(Path model, Device device) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new UserError(model + ": no such file");
        }
        try {
            return Inference.open(model, device);
        } catch (DeviceUnavailableException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
