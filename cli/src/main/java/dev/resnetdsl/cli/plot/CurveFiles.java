package dev.resnetdsl.cli.plot;

import dev.resnetdsl.training.loop.EpochMetrics;
import dev.resnetdsl.training.loop.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Redraws a run's error curves ({@code curves.svg} and {@code curves.png} in the run folder) after every epoch.
 * A plot is a convenience: failing to draw it is reported through {@code warnings} and never stops training.
 */
public final class CurveFiles implements TrainingListener {
    /** The curves, as SVG. */
    public static final String SVG = "curves.svg";
    /** The curves, as PNG. */
    public static final String PNG = "curves.png";

    private final Path dir;
    private final String runLabel;
    private final TrainingListener warnings;

    /**
     * @param dir the run folder
     * @param runLabel the run's name in the legend
     * @param warnings where a drawing failure is reported ({@link TrainingListener#message})
     */
    public CurveFiles(Path dir, String runLabel, TrainingListener warnings) {
        this.dir = dir;
        this.runLabel = runLabel;
        this.warnings = warnings;
    }

    @Override
    public void epochDone(EpochMetrics metrics, List<EpochMetrics> history) {
        List<ErrorCurvePlot.Run> runs = List.of(new ErrorCurvePlot.Run(runLabel, history));
        String title = runLabel + ": training (thin) and test (bold) error";
        try {
            ErrorCurvePlot.write(dir.resolve(SVG), runs, title);
            ErrorCurvePlot.write(dir.resolve(PNG), runs, title);
        } catch (IOException | RuntimeException e) {
            warnings.message("warning: could not draw the curves: " + e.getMessage());
        }
    }
}
