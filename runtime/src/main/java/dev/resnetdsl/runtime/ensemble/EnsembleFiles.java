package dev.resnetdsl.runtime.ensemble;

import dev.resnetdsl.runtime.inference.Inference;
import dev.resnetdsl.runtime.onnx.OnnxFiles;
import dev.resnetdsl.runtime.onnx.proto.Onnx.ModelProto;
import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an ensemble and proves it usable before calling it done: {@link EnsembleBuilder} checks the members'
 * declared shapes, but a member whose layers disagree with its declared output (an fc layer of 12 classes behind
 * a declared output of 10, say) builds a graph that ONNX Runtime refuses to load. So the written file is opened
 * with ONNX Runtime on the CPU and run once on a batch of one zero image; if either fails, the files written are
 * removed and the failure is reported as a bad input.
 */
public final class EnsembleFiles {
    private EnsembleFiles() {}

    /**
     * Writes {@code ensemble} to {@code file} (atomically, with external data when it is over 2 GB) and verifies
     * it with ONNX Runtime.
     *
     * @throws IOException when writing fails, or ONNX Runtime cannot load or run the written model (then nothing
     *     is left at {@code file})
     */
    public static void write(ModelProto ensemble, Path file) throws IOException {
        Path data = file.toAbsolutePath().resolveSibling(file.getFileName() + ".data");
        boolean dataExisted = Files.exists(data);
        OnnxFiles.write(ensemble, file, -1);
        try {
            verify(file);
        } catch (IOException | IllegalArgumentException e) {
            Files.deleteIfExists(file);
            if (!dataExisted) {
                Files.deleteIfExists(data);
            }
            throw new IOException(
                    "ONNX Runtime cannot use the ensemble, so it was not kept: " + e.getMessage()
                            + " (a member's layers disagree with its declared input or output?)",
                    e);
        }
    }

    private static void verify(Path file) throws IOException {
        try (Inference inference = Inference.open(file, Device.CPU)) {
            long[] shape = inference.inputShape();
            int[] one = new int[shape.length];
            one[0] = 1;
            for (int d = 1; d < shape.length; d++) {
                if (shape[d] < 1) {
                    return; // free image size: loading was the check
                }
                one[d] = Math.toIntExact(shape[d]);
            }
            inference.run(Tensor.zeros(one));
        }
    }
}
