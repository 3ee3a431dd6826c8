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
import org.junit.jupiter.api.Assertions;
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

    /** Issue 11, item 12: pointed at src/main/java, the plugin silently replaced a hand-written class. */
    @Test
    void handWrittenSourcesAreNeverOverwritten() throws Exception {
        Path javaSources = project.resolve("src/main/java");
        Path handWritten = javaSources.resolve("p/TinyNet.java");
        Files.createDirectories(handWritten.getParent());
        String mine = "package p;\n\n/** Mine, not generated. */\npublic final class TinyNet {}\n";
        Files.writeString(handWritten, mine);
        IOException e =
                assertThrows(IOException.class, () -> new SpecGeneration(project, specs, javaSources, "p").run());
        assertTrue(
                e.getMessage().startsWith("src/main/java/p/TinyNet.java exists and was not generated"), e.getMessage());
        assertEquals(mine, Files.readString(handWritten), "the hand-written class is untouched");
        assertFalse(Files.exists(javaSources.resolve(SpecGeneration.STATE_FILE)), "nothing written");
    }

    @Test
    void itsOwnEarlierOutputIsReplacedEvenWithoutTheStateFile() throws Exception {
        generation("p").run();
        Files.delete(out.resolve(SpecGeneration.STATE_FILE));
        Files.writeString(specs.resolve("tiny.resnet"), TINY.replace("classes 10", "classes 7"));
        assertEquals(SpecGeneration.Outcome.GENERATED, generation("p").run().outcome());
        assertTrue(Files.readString(out.resolve("p/TinyNet.java")).contains("CLASSES = 7;"));
    }

    /** Issue 11, item 12: an edit to an imported file outside the source directory left the class stale. */
    @Test
    void anEditedImportOutsideTheSourceDirectoryRegenerates() throws Exception {
        Path shared = Files.createDirectories(project.resolve("shared-specs"));
        Files.writeString(shared.resolve("base.resnet"), TINY.replace("TinyNet", "Base"));
        Files.writeString(
                specs.resolve("tiny.resnet"),
                "import \"../../../shared-specs/base.resnet\"\nmodel Derived extends Base {}\n");
        assertEquals(SpecGeneration.Outcome.GENERATED, generation("p").run().outcome());
        assertEquals(SpecGeneration.Outcome.UP_TO_DATE, generation("p").run().outcome());

        Files.writeString(
                shared.resolve("base.resnet"), TINY.replace("TinyNet", "Base").replace("classes 10", "classes 42"));
        assertEquals(SpecGeneration.Outcome.GENERATED, generation("p").run().outcome());
        assertTrue(Files.readString(out.resolve("p/Derived.java")).contains("CLASSES = 42;"));
        assertEquals(SpecGeneration.Outcome.UP_TO_DATE, generation("p").run().outcome());
    }

    @Test
    void importsOutsideTheImportRootAreRefused() throws Exception {
        Path outside = Files.createTempDirectory("outside");
        try {
            Files.writeString(outside.resolve("base.resnet"), TINY.replace("TinyNet", "Base"));
            Files.writeString(
                    specs.resolve("tiny.resnet"),
                    "import \"" + outside.resolve("base.resnet") + "\"\nmodel Derived extends Base {}\n");
            SpecGeneration.SpecErrors e = assertThrows(
                    SpecGeneration.SpecErrors.class, () -> generation("p").run());
            assertTrue(
                    e.diagnostics().get(0).contains("is outside the import root"),
                    e.diagnostics().toString());
        } finally {
            Files.deleteIfExists(outside.resolve("base.resnet"));
            Files.deleteIfExists(outside);
        }
    }

    /** Issue 11, item 12: a model named String broke the other generated classes of its package. */
    @Test
    void aModelNamedLikeAJavaLangTypeIsAPositionedError() {
        Assertions.assertDoesNotThrow(
                () -> Files.writeString(specs.resolve("string.resnet"), TINY.replace("model TinyNet", "model String")));
        SpecGeneration.SpecErrors e = assertThrows(
                SpecGeneration.SpecErrors.class, () -> generation("p").run());
        assertTrue(
                e.diagnostics()
                        .get(0)
                        .startsWith("src/main/resnet/string.resnet:2:7: error: model name 'String' is"
                                + " the name of java.lang.String"),
                e.diagnostics().toString());
    }
}
