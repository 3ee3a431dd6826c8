package dev.resnetdsl.training.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resnetdsl.runtime.net.Activation;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.net.NetworkBuilder;
import dev.resnetdsl.runtime.testing.TinyNets;
import dev.resnetdsl.runtime.testing.TorchvisionNets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which layers the training graphs write as loops, found from the structure of the network. */
class RepeatedBlocksTest {
    /** "from:blockLength×repeats" for every loop of the plan. */
    private static List<String> loops(Network net) {
        List<RepeatedBlocks.Run> plan = RepeatedBlocks.plan(net);
        int covered = 0;
        for (RepeatedBlocks.Run r : plan) {
            assertEquals(covered, r.from(), "runs cover the layers in order");
            covered += r.blockLength() * r.repeats();
        }
        assertEquals(net.layers().size(), covered);
        return plan.stream()
                .filter(RepeatedBlocks.Run::isLoop)
                .map(r -> r.from() + ":" + r.blockLength() + "x" + r.repeats())
                .toList();
    }

    @Test
    void resNet1202HasOneLoopPerStage() {
        // A block's sum ends a segment (only it is alive), so the repeated unit is ReLU, conv, BN, ReLU, conv, BN,
        // sum: from the stem's ReLU (layer 2) 200 times; in stages 2 and 3 from the ReLU after the first block
        // (8 layers from its conv to its ReLU, with the option-A shortcut) 199 times.
        Network net = TorchvisionNets.cifarStyle("ResNet1202", 3, 32, 32, 200, 16, 32, 64);
        assertEquals(List.of("2:7x200", "1410:7x199", "2811:7x199"), loops(net));
    }

    @Test
    void plainNetworksLoopOverConvBnReluUnits() {
        NetworkBuilder b = NetworkBuilder.create("Plain", 3, 8, 8);
        Activation x = b.input();
        for (int i = 0; i < 6; i++) {
            x = b.relu(b.batchNorm("bn" + i, b.conv("conv" + i, x, 4, 3, 1, 1, 1)));
        }
        // the first conv reads 3 channels: the repeated unit starts at its BN (BN, ReLU, conv) and runs 5 times
        assertEquals(List.of("1:3x5"), loops(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 2))));
    }

    @Test
    void namesDoNotMatterOnlyStructure() {
        NetworkBuilder b = NetworkBuilder.create("Names", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("stem_bn", b.conv("stem", b.input(), 4, 3, 1, 1, 1)));
        x = TinyNets.basicBlock(b, "alpha", x, 4, 1);
        x = TinyNets.basicBlock(b, "beta.gamma", x, 4, 1);
        x = TinyNets.basicBlock(b, "z", x, 4, 2); // changes the shape: not part of the run
        x = TinyNets.basicBlock(b, "w", x, 4, 1);
        assertEquals(List.of("2:7x2"), loops(b.build(b.fullyConnected("fc", b.globalAvgPool(x), 2))));
    }

    @Test
    void aBlockThatReadsAnEarlierBlocksOutputIsNotCutApart() {
        // The third block adds the first block's output again: blocks 2 and 3 are one segment, unlike block 1.
        NetworkBuilder b = NetworkBuilder.create("Skip", 3, 8, 8);
        Activation x = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input(), 4, 3, 1, 1, 1)));
        Activation first = TinyNets.basicBlock(b, "l.0", x, 4, 1);
        Activation second = TinyNets.basicBlock(b, "l.1", first, 4, 1);
        Activation third = b.add("l.2", TinyNets.basicBlock(b, "l.2b", second, 4, 1), first);
        assertEquals(List.of(), loops(b.build(b.fullyConnected("fc", b.globalAvgPool(third), 2))));
    }
}
