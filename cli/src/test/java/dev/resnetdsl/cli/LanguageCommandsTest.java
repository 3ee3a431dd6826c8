package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check and summary through the command line: exit statuses, output formats, no stack traces. */
class LanguageCommandsTest {
    @TempDir
    Path dir;

    @Test
    void checkAcceptsEverySpecInTheLibrary() throws IOException {
        List<String> specs;
        try (Stream<Path> files = Files.walk(CliRun.root().resolve("specs"))) {
            specs = files.filter(p -> p.toString().endsWith(".resnet"))
                    .map(Path::toString)
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(specs.size() >= 19, "spec library: " + specs);
        // specs/mnist imports ../cifar: the library's import root is specs/ (the tests run in cli/, outside it).
        String[] args = Stream.concat(Stream.of("check", "--import-root", CliRun.rooted("specs")), specs.stream())
                .toArray(String[]::new);
        CliRun run = CliRun.of(args);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains(specs.size() + " file(s)"), run.out());
    }

    @Test
    void checkReportsEveryErrorPositionedAndExitsOne() throws IOException {
        Path bad = dir.resolve("bad.resnet");
        Files.writeString(
                bad,
                "model Bad {\n  input 3x32x32\n  classes 10\n  stem { conv 3x3 16 }\n  block basic\n"
                        + "  stage a 16 x3 /3\n  stage a 32 x3 /2\n}\n");
        CliRun run = CliRun.of("check", bad.toString());
        assertEquals(1, run.status());
        assertTrue(run.err().contains(bad + ":6:"), run.err());
        assertTrue(run.err().contains(bad + ":7:"), run.err());
        assertTrue(run.err().contains("^"), "caret line: " + run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void missingFileIsOneLineAndExitOne() {
        CliRun run = CliRun.of("check", dir.resolve("absent.resnet").toString());
        assertEquals(1, run.status());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void unknownOptionExitsOne() {
        CliRun run = CliRun.of("summary", "--bogus", CliRun.rooted("specs/cifar/resnet20.resnet"));
        assertEquals(1, run.status());
        assertTrue(run.err().contains("--bogus"), run.err());
    }

    @Test
    void summaryJsonHasTheFieldsAndTheAnalyzersTotals() {
        CliRun run = CliRun.of("summary", "--json", CliRun.rooted("specs/imagenet/resnet50.resnet"));
        assertEquals(0, run.status(), run.err());
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("ResNet50", o.get("name").getAsString());
        assertEquals("[3,224,224]", o.get("input").toString());
        assertEquals(1000, o.get("classes").getAsInt());
        assertEquals(25_557_032L, o.get("params").getAsLong());
        assertEquals(4_089_184_256L, o.get("macs").getAsLong());
        assertEquals(4, o.getAsJsonArray("stages").size());
        JsonObject conv5 = o.getAsJsonArray("stages").get(3).getAsJsonObject();
        assertEquals("conv5_x", conv5.get("name").getAsString());
        assertEquals(3, conv5.get("blocks").getAsInt());
        assertEquals("[2048,7,7]", conv5.get("output").toString());
        long layerParams = 0;
        for (var layer : o.getAsJsonArray("layers")) {
            layerParams += layer.getAsJsonObject().get("params").getAsLong();
        }
        assertEquals(25_557_032L, layerParams, "per-layer rows add up to the total");
    }

    @Test
    void summaryTableShowsTotalsAndStrideChoice() {
        CliRun run = CliRun.of("summary", CliRun.rooted("specs/imagenet/resnet50_v1.resnet"));
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("Total params: 25,557,032"), run.out());
        assertTrue(run.out().contains("Total MACs:   3,857,973,248"), run.out());
        assertTrue(run.out().contains("stride on the first 1×1"), run.out());
    }

    @Test
    void summaryPicturesAreWellFormed() throws Exception {
        CliRun dot = CliRun.of("summary", "--dot", CliRun.rooted("specs/cifar/resnet20.resnet"));
        assertEquals(0, dot.status(), dot.err());
        assertTrue(dot.out().startsWith("digraph \"ResNet20\""), dot.out());
        assertTrue(dot.out().contains("stage2 -> avgpool"), dot.out());

        CliRun svg = CliRun.of("summary", "--svg", CliRun.rooted("specs/cifar/resnet20.resnet"));
        assertEquals(0, svg.status(), svg.err());
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(svg.out().contains("conv4_x (layer3)"), svg.out());
    }

    @Test
    void fmtPrintsCanonicalFormAndWriteRewritesAtomically() throws IOException {
        Path messy = dir.resolve("messy.resnet");
        Files.writeString(
                messy,
                "# tiny\nmodel   Tiny{input 3x32x32;classes 10\n stem{conv 3x3 16}\nblock basic\n"
                        + "shortcut A\nstage s1 16 x1\n}\n");
        CliRun check = CliRun.of("fmt", "--check", messy.toString());
        assertEquals(1, check.status());
        assertTrue(check.err().contains("not in canonical form"), check.err());

        CliRun print = CliRun.of("fmt", messy.toString());
        assertEquals(0, print.status(), print.err());
        assertTrue(print.out().contains("model Tiny {\n"), print.out());
        assertTrue(print.out().startsWith("# tiny\n"), "comment kept: " + print.out());

        assertEquals(0, CliRun.of("fmt", "-w", messy.toString()).status());
        assertEquals(print.out(), Files.readString(messy));
        assertEquals(0, CliRun.of("fmt", "--check", messy.toString()).status());
    }
}
