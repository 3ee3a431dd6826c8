package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's main job, {@code ./quickstart}, run as a user runs it (one epoch instead of three): every step —
 * check, summary, generate, export, train-artifacts, train, export of the bundle, predict — must succeed. A command
 * that stops honouring {@code --import-root} (the MNIST spec imports {@code ../cifar/}) breaks it here first.
 */
class QuickstartTest {
    @TempDir
    Path dir;

    @Test
    void theQuickstartRunsEndToEndAndClassifiesTheTwentyDigits() throws Exception {
        Path checkout = LauncherCheckout.create(dir, "resnet", "quickstart");
        Path out = dir.resolve("out");
        JavaProcess.Result r = JavaProcess.run(
                List.of("bash", checkout.resolve("quickstart").toString(), out.toString(), "1"),
                dir,
                Map.of("HOME", dir.toString()),
                600);

        assertEquals(0, r.status(), "quickstart failed; stderr: " + r.err() + "\nstdout: " + r.out());
        assertTrue(r.out().contains("1 model(s), no errors"), r.out());
        try (var files = Files.walk(out.resolve("java"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith("MnistResNet20.java")), "the generated class");
        }
        assertTrue(Files.size(out.resolve("trained.onnx")) > 500_000, "the exported trained model");
        List<String> rows = Files.readAllLines(out.resolve("predictions.csv"));
        assertTrue(rows.get(0).startsWith("path,top1,prob1,top2,prob2"), rows.get(0));
        assertEquals(21, rows.size(), "a header and the 20 digit images: " + rows);
        assertTrue(rows.stream().skip(1).allMatch(row -> row.endsWith(",")), "no image had an error: " + rows);
    }
}
