package dev.resnetdsl.training.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.testing.TorchvisionNets;
import dev.resnetdsl.training.bundle.Hyperparameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training graphs' size against depth, for the paper's CIFAR family (6n + 2 layers, n blocks per stage):
 * the step graph's file — what ONNX Runtime's start-up works through, superlinearly — does not grow with depth,
 * and the nodes a step executes grow linearly, by a bounded number per block. Times are benchmarks
 * (bench/depth.sh), not tests.
 */
class GraphSizeTest {
    private static final Hyperparameters SGD = Hyperparameters.defaults();
    /** Nodes a basic block adds to a step: measured 192 unrolled and 199 looped (the loop also saves its input). */
    private static final long MAX_NODES_PER_BLOCK = 210;

    private static Network cifar(int n) {
        return TorchvisionNets.cifarStyle("ResNet" + (6 * n + 2), 3, 32, 32, n, 16, 32, 64);
    }

    private static GraphSize step(int n, boolean loops) {
        return GraphSize.of(TrainingGraphs.trainStep(
                cifar(n), SGD, Freezing.none(), GraphOptions.defaults().withLoops(loops), Map.of()));
    }

    @Test
    void withLoopsTheStepGraphsFileIsTheSameFromResNet20ToResNet1202() {
        GraphSize r20 = step(3, true);
        GraphSize r1202 = step(200, true);
        assertEquals(6, r20.scans(), "a forward and a backward loop per stage");
        assertEquals(r20.fileNodes(), step(9, true).fileNodes());
        assertEquals(r20.fileNodes(), step(18, true).fileNodes());
        assertEquals(r20.fileNodes(), r1202.fileNodes());
        assertTrue(r1202.fileNodes() < 1500, () -> "ResNet-1202's step graph holds " + r1202.fileNodes() + " nodes");
        assertLinear(r20.stepNodes(), step(9, true).stepNodes(), step(18, true).stepNodes(), r1202.stepNodes());
    }

    @Test
    void unrolledTheStepGraphGrowsLinearlyWithDepth() {
        GraphSize r20 = step(3, false);
        GraphSize r56 = step(9, false);
        GraphSize r110 = step(18, false);
        assertEquals(0, r110.scans());
        assertEquals(r110.fileNodes(), r110.stepNodes());
        assertLinear(r20.stepNodes(), r56.stepNodes(), r110.stepNodes(), -1);
    }

    @Test
    void theEvaluationGraphDoesNotGrowWithDepthEither() {
        long r20 = GraphSize.of(TrainingGraphs.eval(cifar(3), Map.of())).fileNodes();
        long r1202 = GraphSize.of(TrainingGraphs.eval(cifar(200), Map.of())).fileNodes();
        assertEquals(r20, r1202);
    }

    /**
     * Step nodes for n = 3, 9, 18 (and 200 when ≥ 0) lie on one line: nodes(110) − nodes(56) = (18 − 9)/(9 − 3) ×
     * (nodes(56) − nodes(20)), and likewise up to ResNet-1202, with at most {@link #MAX_NODES_PER_BLOCK} per block.
     */
    private static void assertLinear(long n3, long n9, long n18, long n200) {
        // Adding one block to each of the three stages adds the same number of nodes whatever n is (the stages'
        // blocks differ a little: the weight-gradient layout depends on the image size).
        assertEquals(0, (n9 - n3) % 6, "ResNet-56 adds 6 blocks per stage to ResNet-20");
        long perBlockPerStage = (n9 - n3) / 6;
        assertTrue(
                perBlockPerStage > 3 * 50 && perBlockPerStage <= 3 * MAX_NODES_PER_BLOCK,
                () -> perBlockPerStage / 3.0 + " nodes per block on average (at most " + MAX_NODES_PER_BLOCK + ")");
        assertEquals(n9 + 9 * perBlockPerStage, n18, "ResNet-110 adds 9 blocks per stage to ResNet-56");
        if (n200 >= 0) {
            assertEquals(n18 + 182 * perBlockPerStage, n200, "ResNet-1202 adds 182 blocks per stage to ResNet-110");
        }
    }
}
