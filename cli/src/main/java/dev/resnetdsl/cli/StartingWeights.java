package dev.resnetdsl.cli;

import dev.resnetdsl.runtime.net.InitPolicy;
import dev.resnetdsl.runtime.net.Network;
import dev.resnetdsl.runtime.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The weights a command starts from: loaded from {@code --weights}, or initialised by the spec's init policy
 * (with {@code --seed} if given). One place for the choice that {@code export} and {@code train-artifacts} share.
 *
 * @param weights the weights
 * @param description how they came about, for the command's one-line report
 */
record StartingWeights(Weights weights, String description) {

    static StartingWeights choose(Network network, Path file, Long seed) throws IOException {
        if (file != null && seed != null) {
            throw new UserError("--seed and --weights exclude each other (weights are loaded, not initialised)");
        }
        if (file != null) {
            return new StartingWeights(Weights.load(network, file), "weights from " + file);
        }
        InitPolicy policy =
                seed == null ? network.initPolicy() : network.initPolicy().withSeed(seed);
        return new StartingWeights(Weights.initial(network, policy), "initialised with seed " + policy.seed());
    }
}
