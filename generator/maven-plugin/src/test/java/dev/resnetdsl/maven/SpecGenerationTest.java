package dev.resnetdsl.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecGenerationTest {
    static final String TINY =
            """
            # A small CIFAR-style net.
            model TinyNet {
              input 3x32x32
              classes 10
              stem {
                conv 3x3 16
              }
              block basic
              shortcut A
              stage conv2_x 16 x1
              stage conv3_x 32 x1 /2
            }
            """;

    @TempDir
    Path project;

    Path specs;
    Path out;

    @BeforeEach
    void layout() throws IOException {
        specs = Files.createDirectories(project.resolve("src/main/resnet"));
        out = project.resolve("target/generated-sources/resnet");
        Files.writeString(specs.resolve("tiny.resnet"), TINY);
    }

    private SpecGeneration generation(String packageName) {
        return new SpecGeneration(project, specs, out, packageName);
    }

    @Test
    void generatesOneClassPerModelWithProjectRelativeSpecPaths() throws Exception {
        SpecGeneration.Result result = generation("com.example.nets").run();
        assertEquals(SpecGeneration.Outcome.GENERATED, result.outcome());
        Path generated = out.resolve("com/example/nets/TinyNet.java");
        assertEquals(List.of(out.relativize(generated)), result.classes());
        String source = Files.readString(generated);
        assertTrue(source.contains("package com.example.nets;"), source);
        assertTrue(source.contains("comments = \"src/main/resnet/tiny.resnet\""), "no absolute paths: " + source);
        assertFalse(source.contains(project.toString()), "generated code must not depend on the checkout path");
    }

    @Test
    void unchangedInputsAreNotRegeneratedAndEditsAre() throws Exception {
        generation("p").run();
        Path generated = out.resolve("p/TinyNet.java");
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(generated, old);

        assertEquals(SpecGeneration.Outcome.UP_TO_DATE, generation("p").run().outcome());
        assertEquals(old, Files.getLastModifiedTime(generated), "an up-to-date run writes nothing");

        String before = Files.readString(generated);
        Files.writeString(specs.resolve("tiny.resnet"), TINY.replace("classes 10", "classes 100"));
        assertEquals(SpecGeneration.Outcome.GENERATED, generation("p").run().outcome());
        String after = Files.readString(generated);
        assertNotEquals(before, after);
        assertTrue(after.contains("CLASSES = 100;"), after);
        assertEquals(SpecGeneration.Outcome.UP_TO_DATE, generation("p").run().outcome());
    }

    @Test
    void changingAnOptionRegeneratesAndRemovesStaleClasses() throws Exception {
        generation("p").run();
        SpecGeneration.Result moved = generation("q").run();
        assertEquals(SpecGeneration.Outcome.GENERATED, moved.outcome());
        assertTrue(Files.isRegularFile(out.resolve("q/TinyNet.java")));
        assertFalse(Files.exists(out.resolve("p/TinyNet.java")), "the class of the old package is removed");
    }

    @Test
    void aDeletedOutputIsRegenerated() throws Exception {
        generation("p").run();
        Files.delete(out.resolve("p/TinyNet.java"));
        assertEquals(SpecGeneration.Outcome.GENERATED, generation("p").run().outcome());
        assertTrue(Files.isRegularFile(out.resolve("p/TinyNet.java")));
    }

    @Test
    void brokenSpecsFailWithPositionedMessagesAndWriteNothing() throws Exception {
        Files.writeString(
                specs.resolve("broken.resnet"),
                TINY.replace("model TinyNet", "model Broken")
                        .replace("stage conv3_x 32 x1 /2", "stage conv3_x 32 x1 /3"));
        SpecGeneration.SpecErrors e = assertThrows(
                SpecGeneration.SpecErrors.class, () -> generation("p").run());
        String first = e.diagnostics().get(0);
        assertTrue(first.startsWith("src/main/resnet/broken.resnet:11:"), first);
        assertTrue(first.split("\n")[0].contains(": error: "), first);
        assertTrue(first.contains("\n  stage conv3_x 32 x1 /3\n"), "quotes the source line: " + first);
        assertTrue(first.endsWith("^"), "ends with a caret: " + first);
        assertFalse(Files.exists(out.resolve("p/TinyNet.java")), "nothing is generated when a spec is broken");
    }

    @Test
    void packageComesFromFoldersWhenNotConfigured() throws Exception {
        Path nested = Files.createDirectories(specs.resolve("com/example"));
        Files.move(specs.resolve("tiny.resnet"), nested.resolve("tiny.resnet"));
        generation(null).run();
        assertTrue(Files.isRegularFile(out.resolve("com/example/TinyNet.java")));
    }

    @Test
    void aFileWithoutPackageIsAnError() {
        SpecGeneration.SpecErrors e = assertThrows(
                SpecGeneration.SpecErrors.class, () -> generation("").run());
        assertTrue(
                e.diagnostics().get(0).contains("<packageName>"),
                e.diagnostics().toString());
    }

    @Test
    void invalidPackageNamesAreRejected() {
        SpecGeneration.SpecErrors e =
                assertThrows(SpecGeneration.SpecErrors.class, () -> generation("com.example.class")
                        .run());
        assertTrue(
                e.diagnostics().get(0).startsWith("packageName: error: package name"),
                e.diagnostics().toString());
    }

    @Test
    void noSourcesIsNotAnError() throws Exception {
        Files.delete(specs.resolve("tiny.resnet"));
        assertEquals(SpecGeneration.Outcome.NO_SOURCES, generation("p").run().outcome());
    }
}
