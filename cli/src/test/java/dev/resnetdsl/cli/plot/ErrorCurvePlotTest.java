package dev.resnetdsl.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.training.loop.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ErrorCurvePlotTest {
    @TempDir
    Path dir;

    private static List<EpochMetrics> curve(double start) {
        List<EpochMetrics> rows = new ArrayList<>();
        for (int e = 1; e <= 6; e++) {
            double err = start / e;
            rows.add(new EpochMetrics(e, 1, 1 - err, 1, 1 - err * 1.2, 0.1, e));
        }
        return rows;
    }

    @Test
    void svgIsWellFormedWithAThinAndABoldLinePerRun() throws Exception {
        List<ErrorCurvePlot.Run> runs = List.of(
                new ErrorCurvePlot.Run("plain-20", curve(0.3)), new ErrorCurvePlot.Run("resnet<20>&", curve(0.2)));
        String svg = ErrorCurvePlot.svg(runs, "plain vs residual");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(4, lines.getLength());
        assertEquals(
                "1.00",
                lines.item(0).getAttributes().getNamedItem("stroke-width").getNodeValue());
        assertEquals(
                "2.60",
                lines.item(1).getAttributes().getNamedItem("stroke-width").getNodeValue());
        assertEquals(
                6,
                lines.item(1)
                        .getAttributes()
                        .getNamedItem("points")
                        .getNodeValue()
                        .split(" ")
                        .length);
        assertTrue(svg.contains("resnet&lt;20&gt;&amp; test"), "labels are escaped");
        // Test error of 36% at epoch 1 lies above (smaller y than) 6% at epoch 6.
        String[] pts = lines.item(1)
                .getAttributes()
                .getNamedItem("points")
                .getNodeValue()
                .split(" ");
        assertTrue(Double.parseDouble(pts[0].split(",")[1]) < Double.parseDouble(pts[5].split(",")[1]));
    }

    @Test
    void writesPngOrSvgByExtension() throws Exception {
        List<ErrorCurvePlot.Run> runs = List.of(new ErrorCurvePlot.Run("a", curve(0.5)));
        Path png = dir.resolve("c.png");
        Path svg = dir.resolve("c.svg");
        ErrorCurvePlot.write(png, runs, "t");
        ErrorCurvePlot.write(svg, runs, "t");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1520, image.getWidth());
        assertTrue(Files.readString(svg).startsWith("<?xml"));
    }

    /** Issue 11: the plot of a one-epoch run was empty (a one-point polyline draws nothing). */
    @Test
    void aOneEpochRunIsDrawn() throws Exception {
        EpochMetrics only = new EpochMetrics(1, 1, 0.7, 1, 0.6, 0.1, 1);
        BufferedImage one = render(List.of(new ErrorCurvePlot.Run("a", List.of(only))));
        BufferedImage none = render(List.of(new ErrorCurvePlot.Run("a", List.of())));
        int differing = 0;
        for (int y = 0; y < one.getHeight(); y++) {
            for (int x = 0; x < one.getWidth(); x++) {
                if (one.getRGB(x, y) != none.getRGB(x, y)) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 50, "the one epoch's points are drawn: " + differing + " pixels differ");
        String svg = ErrorCurvePlot.svg(List.of(new ErrorCurvePlot.Run("a", List.of(only))), "t");
        assertEquals(4, svg.split("<rect ", -1).length - 1, "background, frame and two markers: " + svg);
    }

    private BufferedImage render(List<ErrorCurvePlot.Run> runs) throws Exception {
        Path png = Files.createTempFile(dir, "plot", ".png");
        ErrorCurvePlot.write(png, runs, "t");
        return ImageIO.read(png.toFile());
    }

    @Test
    void niceStepsAreRound() {
        assertEquals(1, ErrorCurvePlot.niceStep(0.8), 1e-12);
        assertEquals(2, ErrorCurvePlot.niceStep(1.7), 1e-12);
        assertEquals(20, ErrorCurvePlot.niceStep(20), 1e-12);
        assertEquals(25, ErrorCurvePlot.niceStep(21), 1e-12);
        assertEquals(50, ErrorCurvePlot.niceStep(30), 1e-12);
    }
}
