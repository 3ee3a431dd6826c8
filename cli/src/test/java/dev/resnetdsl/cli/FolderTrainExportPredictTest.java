package dev.resnetdsl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.preprocess.Preprocessing;
import dev.resnetdsl.training.bundle.Manifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fine-tuning issue's second "done when": train on a tiny folder of images of assorted sizes, export the
 * bundle, and check that {@code resnet predict}'s top-1 on the test images equals the trainer's own evaluation,
 * image for image — one preprocessing everywhere.
 */
class FolderTrainExportPredictTest {
    private static final String SPEC =
            """
            model Colours {
              input 3x16x16
              classes 3
              stem { conv 3x3 8 }
              block basic
              shortcut A
              stage conv2_x 8 x1
              stage conv3_x 16 x1 /2
            }
            """;

    @TempDir
    Path dir;

    /** Noisy images whose dominant colour is the class, of assorted sizes and aspect ratios. */
    private static void images(Path root, String split, int perClass, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        String[] names = {"blue", "green", "red"};
        for (int c = 0; c < names.length; c++) {
            Path d = Files.createDirectories(root.resolve(split).resolve(names[c]));
            for (int i = 0; i < perClass; i++) {
                int w = 14 + r.nextInt(30);
                int h = 14 + r.nextInt(30);
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int[] rgb = {r.nextInt(120), r.nextInt(120), r.nextInt(120)};
                        rgb[2 - c] += 100 + r.nextInt(36); // blue, green, red: the dominant channel
                        img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
                    }
                }
                ImageIO.write(
                        img,
                        i % 2 == 0 ? "png" : "bmp",
                        d.resolve(String.format("img%02d.%s", i, i % 2 == 0 ? "png" : "bmp"))
                                .toFile());
            }
        }
    }

    @Test
    void predictAgreesWithTheTrainersOwnEvaluationImageForImage() throws IOException {
        Path data = dir.resolve("colours");
        images(data, "train", 12, 1);
        images(data, "test", 5, 2);
        Path spec = dir.resolve("colours.resnet");
        Files.writeString(spec, SPEC);
        Path bundle = dir.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", spec.toString(), "-o", bundle.toString())
                        .status());
        CliRun train = CliRun.of(
                "train",
                bundle.toString(),
                "--data",
                "folder:" + data,
                "--epochs",
                "2",
                "--batch",
                "8",
                "--lr-schedule",
                "constant:0.05");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("36 training and 15 test images"), train.out());

        Manifest manifest = Manifest.read(bundle.resolve(Manifest.FILE));
        Preprocessing p = manifest.preprocessing();
        assertEquals(Preprocessing.Resize.shorterSide(18), p.resize(), "photos: shorter side round(16·256/224)");
        assertEquals(List.of("blue", "green", "red"), p.classNames());
        assertEquals("PER_CHANNEL", p.normalization().kind().name());

        Path model = dir.resolve("colours.onnx");
        CliRun export = CliRun.of("export", bundle.toString(), "-o", model.toString());
        assertEquals(0, export.status(), export.err());
        assertTrue(export.out().contains("3 class names"), export.out());

        Path csv = dir.resolve("preds.csv");
        CliRun predict = CliRun.of(
                "predict",
                model.toString(),
                data.resolve("test").toString(),
                "--top",
                "2",
                "--output",
                csv.toString(),
                "--batch",
                "4");
        assertEquals(0, predict.status(), predict.err());
        assertTrue(predict.err().contains("classified 15 images"), predict.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("path,top1,prob1,top2,prob2,error", rows.get(0));
        assertEquals(16, rows.size());

        Map<String, String> trainer = new HashMap<>();
        List<String> evaluated = Files.readAllLines(bundle.resolve("predictions.csv"));
        assertEquals("image,label,predicted", evaluated.get(0));
        for (String line : evaluated.subList(1, evaluated.size())) {
            String[] f = line.split(",");
            trainer.put(f[0], f[2]);
        }
        assertEquals(15, trainer.size());
        for (String line : rows.subList(1, rows.size())) {
            String[] f = line.split(",", -1);
            assertTrue(trainer.containsKey(f[0]), "the trainer evaluated " + f[0]);
            assertEquals(trainer.get(f[0]), f[1], "top-1 of " + f[0]);
            assertTrue(f[5].isEmpty(), "no error for " + f[0]);
        }

        // Int8 (issue 14): the bundle quantized on its training images, read through the bundle's own preprocessing;
        // predict takes the int8 model as it takes the float one, and agrees with it.
        Path int8 = dir.resolve("colours-int8.onnx");
        CliRun quantized = CliRun.of(
                "export", bundle.toString(), "-o", int8.toString(), "--int8", "--calibrate", "folder:" + data);
        assertEquals(0, quantized.status(), quantized.err());
        assertEquals("", quantized.err(), "the bundle records its preprocessing: nothing to guess");
        assertTrue(quantized.out().contains("calibration minmax over 36 images"), quantized.out());
        Path int8Csv = dir.resolve("preds-int8.csv");
        CliRun predictInt8 = CliRun.of(
                "predict",
                int8.toString(),
                data.resolve("test").toString(),
                "--output",
                int8Csv.toString(),
                "--batch",
                "4");
        assertEquals(0, predictInt8.status(), predictInt8.err());
        assertTrue(predictInt8.err().contains("classified 15 images"), predictInt8.err());
        List<String> int8Rows = Files.readAllLines(int8Csv);
        assertEquals(16, int8Rows.size());
        int agree = 0;
        for (int i = 1; i < rows.size(); i++) {
            String[] a = rows.get(i).split(",", -1);
            String[] b = int8Rows.get(i).split(",", -1);
            assertEquals(a[0], b[0], "the same images in the same order");
            agree += a[1].equals(b[1]) ? 1 : 0;
        }
        assertTrue(agree >= 14, "int8 top-1 agrees with float on " + agree + " of 15 test images");
    }

    @Test
    void aValidationSplitStandsInForAMissingTestFolderAndUnreadableImagesGetErrorRows() throws IOException {
        Path data = dir.resolve("colours");
        images(data, "train", 10, 3);
        Path spec = dir.resolve("colours.resnet");
        Files.writeString(spec, SPEC);
        Path bundle = dir.resolve("bundle");
        assertEquals(
                0,
                CliRun.of("train-artifacts", spec.toString(), "-o", bundle.toString())
                        .status());
        CliRun noTest = CliRun.of("train", bundle.toString(), "--data", "folder:" + data, "--epochs", "1");
        assertEquals(1, noTest.status());
        assertTrue(noTest.err().contains("has no test folder"), noTest.err());
        CliRun uneven = CliRun.of(
                "train",
                bundle.toString(),
                "--data",
                "folder:" + data,
                "--epochs",
                "1",
                "--batch",
                "6",
                "--accumulate",
                "4");
        assertEquals(1, uneven.status(), uneven.err());
        assertTrue(uneven.err().contains("a batch of 6 does not split into 4 micro-batches"), uneven.err());
        // Two micro-batches of 3 per step: gradient accumulation through the command line.
        CliRun train = CliRun.of(
                "train",
                bundle.toString(),
                "--data",
                "folder:" + data,
                "--epochs",
                "1",
                "--batch",
                "6",
                "--accumulate",
                "2",
                "--val-split",
                "0.2",
                "--seed",
                "5");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("24 training and 6 validation images"), train.out());

        Path model = dir.resolve("m.onnx");
        assertEquals(
                0,
                CliRun.of("export", bundle.toString(), "-o", model.toString()).status());
        Path broken = data.resolve("train/red/broken.png");
        Files.writeString(broken, "not a png");
        CliRun predict =
                CliRun.of("predict", model.toString(), data.resolve("train/red").toString());
        assertEquals(0, predict.status(), predict.err());
        assertTrue(predict.err().contains("classified 10 images; 1 could not be read"), predict.err());
        String row = predict.out()
                .lines()
                .filter(l -> l.contains("broken.png"))
                .findFirst()
                .orElseThrow();
        assertTrue(row.matches(".*broken\\.png,,,.*cannot.*|.*broken\\.png,,,.*not an image.*"), row);
    }
}
