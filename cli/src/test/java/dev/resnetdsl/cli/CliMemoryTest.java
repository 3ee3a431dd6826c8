package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.api.SpecNetworks;
import dev.resnetdsl.grammar.SpecCompiler;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.weights.Weights;
import dev.resnetdsl.training.bundle.Hyperparameters;
import dev.resnetdsl.training.bundle.TrainingBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 7: inputs that needed more memory than the JVM has ended in an OutOfMemoryError stack trace. Each
 * row runs {@code resnet} in a child JVM with a 96 MB heap — a machine-independent stand-in for "more than this
 * JVM has" — and needs a one-line error with exit status 1 that says what was too large.
 */
class CliMemoryTest {
    private static final String HEAP = "-Xmx96m";
    /** About 48 million parameters (192 MB of float32): inside the language's limits, past a 96 MB heap. */
    private static final String WIDE = "model Wide {\n  input 3x8x8\n  classes 10\n  stem { conv 3x3 512 }\n"
            + "  block basic\n  shortcut B\n  stage s 2048 x1\n}\n";

    private static final String TINY = "model Tiny {\n  input 1x28x28\n  classes 10\n  stem { conv 3x3 4 }\n"
            + "  block basic\n  shortcut A\n  stage s 4 x1\n}\n";

    @TempDir
    static Path dir;

    static Path bundle;

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(dir.resolve("wide.resnet"), WIDE);
        Network tiny = SpecNetworks.build(
                SpecCompiler.compile("tiny.resnet", TINY, dir).models().get(0));
        bundle = dir.resolve("bundle");
        TrainingBundle.write(bundle, Weights.initial(tiny, tiny.initPolicy()), Hyperparameters.defaults());

        // MNIST whose training images are a gzip bomb: a 10-image header, then 512 MB of zeros.
        Path mnist = Files.createDirectories(dir.resolve("mnist-bomb"));
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.writeBytes(gzip(idx(0x803, 10, 28, 28)));
        byte[] megabyte = gzip(new byte[1 << 20]);
        for (int i = 0; i < 512; i++) {
            bomb.writeBytes(megabyte);
        }
        Files.write(mnist.resolve("train-images-idx3-ubyte.gz"), bomb.toByteArray());
        Files.write(mnist.resolve("train-labels-idx1-ubyte"), idx(0x801, 10));
        Files.write(mnist.resolve("t10k-images-idx3-ubyte"), idx(0x803, 10, 28, 28));
        Files.write(mnist.resolve("t10k-labels-idx1-ubyte"), idx(0x801, 10));

        // CIFAR-10 whose first batch is a sparse 3 GB file.
        Path cifar = Files.createDirectories(dir.resolve("cifar-big"));
        for (String name : List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5")) {
            Files.write(cifar.resolve(name + ".bin"), new byte[3073]);
        }
        Files.write(cifar.resolve("test_batch.bin"), new byte[3073]);
        try (RandomAccessFile f =
                new RandomAccessFile(cifar.resolve("data_batch_1.bin").toFile(), "rw")) {
            f.setLength(3L << 30);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"export", "mnist gzip bomb", "cifar sparse batch"})
    void tooLargeForTheHeapIsAOneLineError(String row) throws Exception {
        List<String> args =
                switch (row) {
                    case "export" -> List.of(
                            "export",
                            dir.resolve("wide.resnet").toString(),
                            "-o",
                            dir.resolve("w.onnx").toString());
                    case "mnist gzip bomb" -> List.of(
                            "train",
                            bundle.toString(),
                            "--data",
                            "mnist:" + dir.resolve("mnist-bomb"),
                            "--epochs",
                            "1");
                    case "cifar sparse batch" -> List.of(
                            "train",
                            bundle.toString(),
                            "--data",
                            "cifar10:" + dir.resolve("cifar-big"),
                            "--epochs",
                            "1");
                    default -> throw new IllegalArgumentException(row);
                };
        String expected =
                switch (row) {
                    case "export" -> "resnet: error: initialising Wide (48,";
                    case "mnist gzip bomb" -> "unexpected bytes after the 10 images of 28x28 its header promises";
                    case "cifar sparse batch" -> "records, more than the 100,000 read from one CIFAR-10 batch file";
                    default -> throw new IllegalArgumentException(row);
                };
        Child child = Child.run(HEAP, args);
        assertEquals(1, child.status(), child.err());
        assertTrue(child.err().contains(expected), () -> "expected '" + expected + "' in:\n" + child.err());
        assertFalse(child.err().contains("OutOfMemoryError"), child.err());
        assertFalse(child.err().contains("\tat "), "no stack trace:\n" + child.err());
        if (row.equals("export")) {
            assertTrue(
                    child.err().matches("(?s).*needs 0\\.19 GB of memory, the JVM has 0\\.\\d\\d GB free.*"),
                    child.err());
        }
    }

    /** {@code resnet ARGS} in a child JVM with {@code heap}; its exit status and standard error. */
    record Child(int status, String err) {
        static Child run(String heap, List<String> args) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    heap,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ResNetCli.class.getName()));
            command.addAll(args);
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("resnet " + args + " did not finish");
            }
            return new Child(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    private static byte[] idx(int magic, int... dims) {
        long payload = 1;
        for (int d : dims) {
            payload *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + (int) payload);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
